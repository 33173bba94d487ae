from core.files import download_name, random_upload_name


def test_stored_names_keep_only_the_folder_and_the_suffix_of_the_checked_type():
    name = random_upload_name("hazards", "image/jpeg")
    folder, stored = name.split("/")
    assert folder == "hazards"
    assert stored.endswith(".jpg") and len(stored) == 32 + 4
    assert random_upload_name("hazards", "text/html").endswith(".bin")  # a type never accepted: no suffix of its own
    assert random_upload_name("hazards", "image/png") != random_upload_name("hazards", "image/png")


def test_offered_names_keep_the_uploaders_stem_with_the_suffix_of_the_checked_type():
    assert download_name("签到表.html", "image/gif") == "签到表.gif"
    assert download_name("整改方案.PDF", "application/pdf") == "整改方案.pdf"
    assert download_name("无后缀", "image/png") == "无后缀.png"
    assert download_name(".html", "image/png") == "文件.png"
    assert download_name("x.html", "text/html") == "x.bin"

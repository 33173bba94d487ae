from core.files import random_upload_name


def test_stored_names_keep_only_the_folder_and_a_lowercased_suffix():
    name = random_upload_name("hazards", "张三 身份证 照片.JPG")
    folder, stored = name.split("/")
    assert folder == "hazards"
    assert stored.endswith(".jpg") and "张三" not in stored and len(stored) == 32 + 4
    assert random_upload_name("hazards", "无后缀").endswith(".bin")
    assert random_upload_name("hazards", "a.png") != random_upload_name("hazards", "a.png")

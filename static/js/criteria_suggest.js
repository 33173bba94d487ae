/* The hazard form's likely 判定标准 items (issue 25 item 3): as the officer types the description, ask the matcher
   (POST /api/v1/major-hazard-criteria/match/, debounced) and list the top items; a click picks one in the
   重大隐患情形 select (and sets the level to 重大). Nothing is sent when the description is short or unchanged;
   offline or refused, the list simply stays as it was. */
(function () {
  "use strict";
  var form = document.querySelector("[data-criteria-suggest]");
  if (!form) return;
  var description = form.querySelector("#id_description");
  var select = form.querySelector("#id_major_item");
  var level = form.querySelector("#id_level");
  var category = form.querySelector("#id_major_category");
  var box = form.querySelector("[data-criteria-suggestions]");
  if (!description || !select || !box || select.disabled) return;
  var url = form.getAttribute("data-criteria-suggest");
  var timer = null;
  var lastSent = "";
  var seq = 0;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function optionFor(match) {
    for (var i = 0; i < select.options.length; i++) {
      var text = select.options[i].text;
      // the select shows the first 40 characters of an item's text (hazards.forms.MajorItemChoiceField)
      if (text.indexOf(match.article) === 0 && text.indexOf(match.text.slice(0, 40)) !== -1) return select.options[i];
    }
    return null;
  }

  function categoryOption(no) {
    // the category select shows "N. name" (hazards.models.MajorHazardCategory.__str__)
    if (!category) return null;
    for (var i = 0; i < category.options.length; i++) {
      if (category.options[i].text.indexOf(no + ". ") === 0) return category.options[i];
    }
    return null;
  }

  function pick(option, match) {
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var chosen = categoryOption(match.category);
    if (chosen && category.value !== chosen.value) {
      // the item names its category: show it too rather than "（一般隐患不选）"
      category.value = chosen.value;
      category.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (level && level.value !== "major") {
      level.value = "major";
      level.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function show(answer) {
    box.textContent = "";
    var matches = (answer.matches || []).slice(0, 3);
    if (!matches.length) {
      box.hidden = true;
      return;
    }
    var head = document.createElement("div");
    head.className = "small fw-semibold";
    head.textContent = answer.likely_major
      ? "可能属于重大事故隐患，相近情形（点击选用）："
      : "相近的重大事故隐患情形（仅供参考，点击选用）：";
    box.appendChild(head);
    matches.forEach(function (m) {
      var option = optionFor(m);
      if (!option) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm text-start p-0 d-block";
      button.setAttribute("data-testid", "criteria-suggestion");
      button.textContent = option.text;
      button.addEventListener("click", function () { pick(option, m); });
      box.appendChild(button);
    });
    box.className = answer.likely_major ? "alert alert-warning py-2 mb-3" : "alert alert-light py-2 mb-3";
    box.hidden = box.childNodes.length < 2;
  }

  function ask() {
    var text = description.value.trim();
    if (text.length < 6 || text === lastSent || text.length > 2000) return;
    lastSent = text;
    var mine = ++seq;
    var specialty = form.querySelector("#id_specialty");
    var location = form.querySelector("#id_location");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({
        text: text,
        location: location ? location.value : "",
        specialty: specialty ? specialty.value : "",
      }),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer && mine === seq) show(answer); })
      .catch(function () { /* offline: the officer chooses from the list as before */ });
  }

  description.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  });
  if (description.value.trim()) ask();
})();

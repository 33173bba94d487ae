/* The hazard form's 重大隐患情形 list narrowed to the 重大隐患类别 chosen: each option carries its category
   (hazards.forms.MajorItemSelect, data-category). Choosing a category leaves only its items (an item of another
   category already chosen is cleared); choosing an item shows its category. Without a category, every item. */
(function () {
  "use strict";
  var item = document.querySelector("select#id_major_item");
  var category = document.querySelector("select#id_major_category");
  if (!item || !category || item.disabled) return;

  function narrow() {
    var chosen = category.value;
    Array.prototype.forEach.call(item.options, function (option) {
      var of = option.getAttribute("data-category");
      var other = Boolean(chosen && of && of !== chosen);
      option.hidden = other;
      option.disabled = other; // a hidden option is still listed by some phones' pickers
    });
    var selected = item.options[item.selectedIndex];
    if (selected && selected.hidden) item.value = "";
  }

  category.addEventListener("change", narrow);
  item.addEventListener("change", function () {
    var selected = item.options[item.selectedIndex];
    var of = selected ? selected.getAttribute("data-category") : null;
    if (of && category.value !== of && !category.disabled) {
      category.value = of;
      narrow();
    }
  });
  narrow();
})();

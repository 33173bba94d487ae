// The admin's periodic task form (django-celery-beat): under the crontab field, the chosen schedule in words.
// Loaded by templates/admin/djcelery/change_periodictask_form.html in place of the package's inline script, which
// the Content-Security-Policy refuses. Text is set as text, never as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var $ = window.django && window.django.jQuery;
  var data = document.getElementById("readable-crontabs");
  if (!$ || !data) {
    return;
  }
  var readable = JSON.parse(data.textContent);
  var originalHelp = (script && script.dataset.crontabHelp) || "";

  function showReadable() {
    var help = $(".field-crontab .help");
    var chosen = readable[$("#id_crontab").val()];
    help.empty().append(document.createTextNode(originalHelp));
    if (chosen) {
      help.append(document.createElement("br"), document.createTextNode("说明：" + chosen));
    }
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(showReadable);
  showReadable();
})();

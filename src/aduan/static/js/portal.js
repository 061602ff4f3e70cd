// Public portal: progressive enhancement only; every form works without JavaScript.
(function () {
  "use strict";
  function syncAnonymous() {
    var box = document.getElementById("id_is_anonymous");
    var identity = document.querySelector(".identity");
    if (!box || !identity) { return; }
    identity.hidden = box.checked;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("id_is_anonymous");
    if (box) { box.addEventListener("change", syncAnonymous); syncAnonymous(); }
    var problems = document.getElementById("form-problems") ||
      document.getElementById("rating-problems");
    if (problems) { problems.focus(); }
  });
})();

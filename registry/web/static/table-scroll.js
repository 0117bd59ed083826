// Tables wider than the screen scroll sideways in their own box (.table-scroll). Where one does, a line
// above it says so, and shadows at its edges (portal.css) show on which side there is more; on a wide
// screen, where the whole table fits, neither appears.
"use strict";

(function () {
  const hint = document.documentElement.dataset.scrollHint;

  function mark(box) {
    const overflowing = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("overflowing", overflowing);
    let line = box.previousElementSibling;
    if (!line || !line.classList.contains("scroll-hint")) {
      if (!overflowing) return;
      line = document.createElement("p");
      line.className = "scroll-hint aside";
      line.textContent = hint;
      box.before(line);
    }
    line.hidden = !overflowing;
  }

  function markAll() {
    document.querySelectorAll(".table-scroll").forEach(mark);
  }

  markAll();
  window.addEventListener("resize", markAll);
})();

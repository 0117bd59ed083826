// After a search, focus goes where the answer is, so that a keyboard or screen-reader user lands on it
// rather than at the top of the page: the field the registry refused, or the results (or a general error).
"use strict";

(function () {
  const refused = document.querySelector('.search-form [aria-invalid="true"]');
  const answer = refused || document.querySelector("[data-focus-after-search]");
  if (answer) answer.focus();
})();

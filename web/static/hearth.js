document.body.className += " js-enabled govuk-frontend-supported"; if (window.GOVUKFrontend) { window.GOVUKFrontend.initAll(); }

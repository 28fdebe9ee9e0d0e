// Starts the NHS.UK frontend components. Loaded as a module, so only browsers that the design
// system supports run it; the pages work without it. The library's address comes from the page
// because static file names carry a content hash in production.
const body = document.body;
body.classList.add("js-enabled", "nhsuk-frontend-supported");
import(body.dataset.nhsukFrontend).then(({ initAll }) => initAll());

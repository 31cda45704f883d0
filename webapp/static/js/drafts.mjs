// Long forms keep a draft on the server while people type (webapp/drafts.py):
// every 20 seconds (data-draft-every), if the form changed, post it to the
// draft endpoint with its CSRF token. The form works without this script:
// then the draft is kept on every submit instead.

function autosave(tokenInput) {
  const form = tokenInput.form;
  const status = form.querySelector("[data-draft-status]");
  const everyMs = 1000 * (Number(tokenInput.dataset.draftEvery) || 20);
  let changed = false;
  form.addEventListener("input", () => { changed = true; });
  form.addEventListener("change", () => { changed = true; });
  form.addEventListener("submit", () => { changed = false; });
  window.setInterval(async () => {
    if (!changed) return;
    changed = false;
    try {
      const response = await fetch(tokenInput.dataset.draftUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
      });
      const body = await response.json();
      if (status) {
        status.textContent = response.ok
          ? body.saved
          : response.status === 401
            ? "You have been signed out. What you typed is kept: send the form to sign in again."
            : body.error || "";
      }
    } catch (error) {
      changed = true; // offline for a moment: try again next time
    }
  }, everyMs);
}

document.querySelectorAll("input[name='draft_token'][data-draft-url]").forEach(autosave);

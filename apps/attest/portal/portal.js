// The metrics portal page: tabs for the seed's five dashboards over attest's activity
// buckets (GET metrics/buckets?period=), Live refreshing itself; the sign-in form when
// there is no session, saying what is missing.
import {
  AccessError,
  fetchBuckets,
  openSession,
  SESSION_KEY,
  storedSession,
  ticketFromFragment,
} from "./access.js";
import { lastBuckets, renderDashboard } from "./dashboard-view.js";
import { DASHBOARDS } from "./dashboards.js";

/** A dashboard's name (own keys only: a fragment is text anyone can write). */
const isTab = (tab) => typeof tab === "string" && Object.hasOwn(DASHBOARDS, tab);

/** Fetches a tab's data and draws it, unless another tab was chosen meanwhile. */
async function render(tab) {
  const dashboard = DASHBOARDS[tab];
  const answer = lastBuckets(await fetchBuckets(dashboard.period), dashboard.last);
  const months = dashboard.months ? await fetchBuckets("month") : undefined;
  if (currentTab !== tab) return;
  renderDashboard(document.getElementById("dashboard"), tab, dashboard, answer, months);
  const live = dashboard.refreshMs !== undefined;
  setStatus(`Updated ${answer.now.slice(11, 19)} UTC${live ? ", refreshes every 10 s" : ""}.`);
}

let currentTab = "live";
let timer;

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

function showSignIn(reason, isError) {
  clearInterval(timer);
  document.getElementById("dashboard").hidden = true;
  document.getElementById("sign-out").hidden = true;
  document.getElementById("signin").hidden = false;
  const p = document.getElementById("signin-reason");
  p.textContent = reason;
  p.className = isError ? "signin-reason-error" : "";
  setStatus("Not signed in.");
}

async function show(tab) {
  currentTab = isTab(tab) ? tab : "live";
  for (const button of document.querySelectorAll("[role=tab]")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === currentTab));
  }
  if (location.hash !== `#${currentTab}`) history.replaceState(null, "", `#${currentTab}`);
  clearInterval(timer);
  if (!storedSession()) {
    showSignIn(
      "This page has no metrics session yet: it needs the admin key or a read-only metrics key.",
      false,
    );
    return;
  }
  document.getElementById("signin").hidden = true;
  document.getElementById("dashboard").hidden = false;
  document.getElementById("sign-out").hidden = false;
  const refresh = async () => {
    try {
      await render(currentTab);
    } catch (error) {
      if (error instanceof AccessError) showSignIn(error.message, true);
      else setStatus(`Could not load the activity: ${error.message}`);
    }
  };
  await refresh();
  const every = DASHBOARDS[currentTab].refreshMs;
  if (every && storedSession()) timer = setInterval(refresh, every);
}

async function start() {
  for (const button of document.querySelectorAll("[role=tab]")) {
    button.addEventListener("click", () => show(button.dataset.tab));
  }
  document.getElementById("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("signin-key");
    const key = input.value.trim();
    input.value = "";
    try {
      await openSession(key);
      await show(currentTab);
    } catch (error) {
      showSignIn(`That key was not accepted: ${error.message}`, true);
    }
  });
  document.getElementById("sign-out").addEventListener("click", async () => {
    const session = storedSession();
    sessionStorage.removeItem(SESSION_KEY);
    if (session) {
      await fetch("portal/sessions", {
        method: "DELETE",
        headers: { authorization: `Bearer ${session.session}` },
        credentials: "omit",
      }).catch(() => {});
    }
    showSignIn("Signed out.", false);
  });
  // A link opened in this tab later (a new ticket, or a tab name) changes only the fragment.
  window.addEventListener("hashchange", () => openFromFragment());
  await openFromFragment();
}

/** Spends a ticket in the fragment, if any, then shows the tab the fragment names. */
async function openFromFragment() {
  const ticket = ticketFromFragment(isTab);
  if (ticket) {
    try {
      await openSession(ticket);
    } catch (error) {
      showSignIn(
        `The link's ticket was not accepted (they work once, within a minute): ${error.message}. Run approov metrics again, or enter a key.`,
        true,
      );
      return;
    }
  }
  const tab = location.hash.slice(1);
  await show(isTab(tab) ? tab : currentTab);
}

start();

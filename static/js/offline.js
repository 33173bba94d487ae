/* Capture without signal (issue 23): the hazard and 三违 forms keep a record in this browser when it cannot be sent,
   and send it when the connection returns.

   - A capture form (data-offline-capture) is always sent by this script: photos larger than 1600 px are redrawn as
     JPEG on the phone first, and the record carries an Idempotency-Key (a UUID made once per record, kept across
     retries: the server answers a repeat with its first answer, core/idempotency.py), so a retry after a lost
     answer never makes a second record.
   - Offline, or when the request fails on the network, the record (its fields and photos as Blobs) goes into
     IndexedDB, in a database of this user only ("capture-<user id>"); the header shows 待上传 N.
   - On the `online` event, on every page load and on a timer that backs off, the queue is sent in order. 2xx removes a
     record; a refusal (4xx with the server's Chinese message: a rule, a conflict) keeps it, marked, for the officer to
     correct on /offline/ (or delete); anything else (no network, 5xx, the session expired) is tried again later.
   - Logout asks first when records still wait, then empties this browser's storage (the server also answers the
     logout with Clear-Site-Data).
   The service worker (sw.js, registered here) keeps the ledger pages the officer opened readable offline. */
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user");
  if (!user) return;

  var DB_NAME = "capture-" + user;
  var STORE = "records";
  var MAX_SIDE = 1600;
  var KEEP_BYTES = 1.5 * 1024 * 1024; // an image this small and within MAX_SIDE is sent as taken
  var RETRY_FIRST = 5000;
  var RETRY_MAX = 5 * 60 * 1000;
  var retryDelay = RETRY_FIRST;
  var retryTimer = null;
  var syncing = null;
  var dbPromise = null;

  /* ------------------------------------------------------------------ storage */

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function allRecords() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.id - b.id; });
    });
  }
  function getRecord(id) { return withStore("readonly", function (store) { return store.get(id); }); }
  function putRecord(record) { return withStore("readwrite", function (store) { return store.put(record); }); }
  function deleteRecord(id) { return withStore("readwrite", function (store) { return store.delete(id); }); }

  /* Everything of this user in this browser: the queue, the service worker's copies, anything in web storage. */
  function wipe() {
    var steps = [];
    steps.push((dbPromise || Promise.resolve(null)).then(function (db) {
      if (db) db.close();
      dbPromise = null;
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }).catch(function () {}));
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }).catch(function () {}));
    }
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage disabled */ }
    return Promise.all(steps);
  }

  /* ------------------------------------------------------------------ building and sending a record */

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* A photo redrawn as JPEG with its longest side at most 1600 px (a phone's camera gives 4000 px and 5 MB). */
  function shrink(file) {
    if (!file || !file.size || !/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve({ blob: file, name: file && file.name });
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= KEEP_BYTES) return { blob: file, name: file.name };
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? { blob: blob, name: file.name.replace(/\.[^.]*$/, "") + ".jpg" } : { blob: file, name: file.name });
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return { blob: file, name: file.name }; });
  }

  function describe(form) {
    var parts = [];
    ["description", "location", "person_name"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) parts.push(field.value);
    });
    return parts.join(" · ").slice(0, 80) || "（未填写内容）";
  }

  function recordFrom(form, previous) {
    var data = new FormData(form);
    var fields = [];
    var photos = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File) {
        if (value.size) photos.push([name, value]);
        return;
      }
      fields.push([name, value]);
    });
    return Promise.all(photos.map(function (pair) { return shrink(pair[1]); })).then(function (shrunk) {
      var files = shrunk.map(function (s, i) { return [photos[i][0], s.blob, s.name]; });
      if (previous && !files.length) files = previous.files || []; // the photo kept when the correction adds none
      var action = new URL(form.getAttribute("action") || location.href, location.href);
      action.searchParams.delete("offline");
      return {
        id: previous ? previous.id : undefined,
        key: previous ? previous.key : newKey(),
        kind: form.getAttribute("data-offline-capture"),
        kindLabel: form.getAttribute("data-offline-kind") || "记录",
        action: action.pathname + action.search,
        label: describe(form),
        fields: fields,
        files: files,
        savedAt: previous ? previous.savedAt : new Date().toISOString(),
        status: "pending",
        message: "",
        errors: null,
        attempts: previous ? previous.attempts || 0 : 0
      };
    });
  }

  /* One record to the server. Answers {state: "done"|"refused"|"retry", data, message}. */
  function send(record) {
    var data = new FormData();
    record.fields.forEach(function (f) { data.append(f[0], f[1]); });
    (record.files || []).forEach(function (f) { data.append(f[0], f[1], f[2]); });
    return fetch(record.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      // X-Capture-User: a record goes only as the officer who made it (on a shared phone, the session may by now be
      // another user's: the server refuses it, core/idempotency.py, and it waits here for its officer)
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(),
        "Idempotency-Key": record.key,
        "X-Capture-User": user
      }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        var status = response.status;
        if (status >= 200 && status < 300 && json && json.url) return { state: "done", data: json };
        if (status === 401) return { state: "retry", message: (json && json.detail) || "登录已过期，请重新登录。" };
        if (json && (json.code === "idempotency_in_flight" || json.code === "capture_user_mismatch")) {
          return { state: "retry", message: json.detail };
        }
        if (status >= 400 && status < 500 && status !== 408 && status !== 429 && json) {
          return { state: "refused", message: json.detail || "系统退回了这条记录。", errors: json.errors || null };
        }
        return { state: "retry", message: "服务器暂时无法处理（" + (status || "重定向") + "），稍后自动重试。" };
      });
    }, function () {
      return { state: "retry", message: "网络不通，来网后自动上传。" };
    });
  }

  /* ------------------------------------------------------------------ the queue */

  function sync() {
    if (syncing) return syncing;
    if (!navigator.onLine) return refresh(); // no signal at all: the `online` event starts the next round
    var blocked = false;
    syncing = allRecords().then(function (records) {
      var chain = Promise.resolve();
      records.forEach(function (record) {
        chain = chain.then(function () {
          if (blocked || record.status === "refused") return;
          return send(record).then(function (result) {
            if (result.state === "done") return deleteRecord(record.id);
            if (result.state === "refused") {
              record.status = "refused";
              record.message = result.message;
              record.errors = result.errors;
              return putRecord(record);
            }
            blocked = true; // in order: the rest wait behind the first that could not go
            record.attempts = (record.attempts || 0) + 1;
            record.message = result.message;
            return putRecord(record);
          });
        });
      });
      return chain;
    }).catch(function () { blocked = true; }).then(function () {
      syncing = null;
      return refresh(blocked);
    });
    return syncing;
  }

  /* The next round: soon after a round that went through, later and later (up to 5 minutes) while it cannot. */
  function scheduleRetry(waiting, blocked) {
    clearTimeout(retryTimer);
    if (!waiting) return;
    retryTimer = setTimeout(sync, retryDelay);
    retryDelay = blocked ? Math.min(retryDelay * 2, RETRY_MAX) : RETRY_FIRST;
  }

  function refresh(blocked) {
    return allRecords().then(function (records) {
      var badge = document.getElementById("offline-badge");
      if (badge) {
        badge.classList.toggle("d-none", records.length === 0);
        var count = badge.querySelector("[data-offline-count]");
        if (count) count.textContent = String(records.length);
      }
      drawList(records);
      scheduleRetry(records.some(function (r) { return r.status !== "refused"; }), blocked);
      return records;
    }).catch(function () { return []; });
  }

  /* ------------------------------------------------------------------ /offline/ */

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  function drawList(records) {
    var list = document.querySelector("[data-offline-list]");
    if (!list) return;
    list.textContent = "";
    if (!records.length) {
      list.appendChild(text("p", "text-secondary", "本机没有待上传的记录。"));
      return;
    }
    records.forEach(function (record) {
      var refused = record.status === "refused";
      var card = text("div", "card card-body shadow-sm mb-2" + (refused ? " border-danger" : ""));
      card.setAttribute("data-testid", "offline-record");
      card.setAttribute("data-status", record.status);
      var head = text("div", "d-flex justify-content-between gap-2 flex-wrap");
      head.appendChild(text("strong", "", record.kindLabel + "：" + record.label));
      head.appendChild(text("span", "badge " + (refused ? "text-bg-danger" : "text-bg-warning"), refused ? "被退回" : "待上传"));
      card.appendChild(head);
      card.appendChild(text("div", "small text-secondary", "保存于 " + new Date(record.savedAt).toLocaleString("zh-CN") +
        ((record.files || []).length ? " · 附照片 " + record.files.length + " 张" : "")));
      if (record.message) {
        var note = text("div", "small mt-1 " + (refused ? "text-danger" : "text-secondary"), record.message);
        note.setAttribute("data-testid", "offline-message");
        card.appendChild(note);
      }
      var buttons = text("div", "d-flex gap-2 mt-2");
      var edit = text("a", "btn btn-outline-primary btn-sm", "修改");
      var target = new URL(record.action, location.href);
      target.searchParams.set("offline", record.id);
      edit.href = target.pathname + target.search;
      var remove = text("button", "btn btn-outline-danger btn-sm", "删除");
      remove.type = "button";
      remove.addEventListener("click", function () {
        if (window.confirm("删除后这条记录不会上传，确定删除？")) deleteRecord(record.id).then(refresh);
      });
      buttons.appendChild(edit);
      buttons.appendChild(remove);
      card.appendChild(buttons);
      list.appendChild(card);
    });
  }

  /* ------------------------------------------------------------------ the capture forms */

  function notice(form, kind, message) {
    var box = form.querySelector("[data-offline-notice]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-offline-notice", "");
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "alert alert-" + kind;
    box.textContent = message;
    box.scrollIntoView({ block: "center" });
  }

  function showErrors(form, errors) {
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    form.querySelectorAll("[data-offline-error]").forEach(function (el) { el.remove(); });
    Object.keys(errors || {}).forEach(function (name) {
      var field = form.elements[name];
      if (!field || field.length > 1 && !field.tagName) return;
      field.classList.add("is-invalid");
      var feedback = text("div", "invalid-feedback d-block", errors[name].join(" "));
      feedback.setAttribute("data-offline-error", "");
      field.insertAdjacentElement("afterend", feedback);
    });
  }

  function fill(form, record) {
    record.fields.forEach(function (pair) {
      var field = form.elements[pair[0]];
      if (!field) return;
      if (field.type === "checkbox") field.checked = true;
      else if (field.length && !field.tagName) { // radio buttons
        Array.prototype.forEach.call(field, function (r) { r.checked = r.value === pair[1]; });
      } else field.value = pair[1];
    });
    if (record.errors) showErrors(form, record.errors);
    notice(form, record.status === "refused" ? "danger" : "info",
      "正在修改本机待上传的记录。" + (record.message ? "系统的意见：" + record.message : "") +
      ((record.files || []).length ? "（已保存的照片将一并上传，如需更换请重新选择。）" : ""));
  }

  function submitting(form, busy) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = busy; });
  }

  function queued(form, record) {
    return putRecord(record).then(function () {
      form.reset();
      showErrors(form, {});
      notice(form, "warning", "当前无网络：这条" + record.kindLabel + "已保存在本机（待上传），来网后自动上传。");
      return refresh();
    });
  }

  function setUpCaptureForm(form) {
    var editing = null;
    var editId = Number(new URL(location.href).searchParams.get("offline"));
    if (editId) {
      getRecord(editId).then(function (record) {
        if (record) { editing = record; fill(form, record); }
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitting(form, true);
      recordFrom(form, editing).then(function (record) {
        if (record.id === undefined) delete record.id;
        if (!navigator.onLine) return queued(form, record);
        return send(record).then(function (result) {
          if (result.state === "done") {
            var next = result.data.url;
            return (record.id ? deleteRecord(record.id) : Promise.resolve()).then(function () { location.assign(next); });
          }
          if (result.state === "refused") {
            showErrors(form, result.errors);
            notice(form, "danger", result.message);
            if (record.id) {
              record.status = "refused"; record.message = result.message; record.errors = result.errors;
              return putRecord(record).then(refresh);
            }
            return;
          }
          return queued(form, record);
        });
      }).catch(function () {
        notice(form, "danger", "无法保存到本机（浏览器存储不可用），请在有网络时重新提交。");
      }).then(function () { submitting(form, false); });
    });
  }

  /* ------------------------------------------------------------------ logout */

  function reachable() {
    if (!navigator.onLine) return Promise.resolve(false);
    return fetch("/healthz", { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok; }, function () { return false; });
  }

  function setUpLogout(form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-cleared")) return;
      event.preventDefault();
      allRecords().catch(function () { return []; }).then(function (records) {
        if (records.length && !window.confirm("本机还有 " + records.length + " 条记录未上传，退出登录将删除它们。确定退出？")) {
          return;
        }
        // Only with the server reachable: offline, the logout could not reach it and this phone would stay signed in
        // with its records already wiped.
        return reachable().then(function (ok) {
          if (!ok) {
            window.alert("当前无网络，暂时无法退出登录（本机记录已保留）。来网后再退出。");
            return;
          }
          return wipe().then(function () {
          form.setAttribute("data-cleared", "");
          form.submit();
          });
        });
      });
    });
  }

  /* ------------------------------------------------------------------ start */

  function registerWorker() {
    var url = body.getAttribute("data-service-worker");
    if (!url || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(url, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // the page's own files, so that the copies of the ledger pages open with their styles and scripts offline
      var files = [];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
        files.push(el.href || el.src);
      });
      if (registration.active) registration.active.postMessage({ type: "keep-static", urls: files });
    }).catch(function () { /* no worker (plain HTTP on another host): capture still queues */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-offline-capture]").forEach(setUpCaptureForm);
    document.querySelectorAll("form[data-logout]").forEach(setUpLogout);
    var button = document.querySelector("[data-offline-sync]");
    if (button) button.addEventListener("click", function () { sync(); });
    refresh().then(function (records) { if (records.length && navigator.onLine) sync(); });
    registerWorker();
  });
  window.addEventListener("online", function () { retryDelay = RETRY_FIRST; sync(); });
})();

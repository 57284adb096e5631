import assert from "node:assert/strict";
import { test } from "node:test";
import { CONFIGURATIONS_PER_TENANT, CREATES_PER_SECOND_BOUND, createTenantCount, unexpectedAnswers } from "../src/expect.mjs";

test("create tenants: a cell at the creates bound fills no tenant past 80% of the cap", () => {
  for (const [warmup, duration] of [
    [1, 5],
    [0, 2],
    [1, 30],
    [0, 1],
  ]) {
    const n = createTenantCount(warmup, duration);
    const perTenant = ((warmup + duration) * CREATES_PER_SECOND_BOUND) / n;
    assert.ok(perTenant <= CONFIGURATIONS_PER_TENANT * 0.8, `${warmup}+${duration} s: ${perTenant} per tenant over ${n} tenants`);
    assert.ok(n >= 2);
  }
  assert.equal(createTenantCount(1, 5), 19);
});

test("unexpected answers: any non-2xx answer or failed session is reported", () => {
  assert.deepEqual(unexpectedAnswers([{ title: "a", result: { errorStatus: 0, requests: 10 } }, { title: "b" }]), []);
  assert.deepEqual(unexpectedAnswers([{ title: "create", result: { errorStatus: 1, requests: 100 } }]), [
    "create: 1 of 100 answers were not 2xx",
  ]);
  assert.deepEqual(unexpectedAnswers([], [{ title: "s", failures: 2, sessions: 9, firstError: "409" }]), [
    "s: 2 of 9 sessions failed (409)",
  ]);
  assert.deepEqual(unexpectedAnswers([], [{ title: "s", failures: 0, sessions: 9 }]), []);
});

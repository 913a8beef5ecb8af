// The REST calls (pwa/src/js/api.js): what goes on the wire where the server cares how.
import { createApi } from "../../pwa/src/js/api.js";

function recording(seen) {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(null, { status: 204 });
  };
}

test("unsubscribing sends the endpoint in the body, never in the URL (access logs keep URLs)", async () => {
  const seen = [];
  const api = createApi({
    getToken: async () => "t",
    transport: recording(seen),
  });
  const endpoint = "https://fcm.googleapis.com/fcm/send/abc?x=1";

  await api.unsubscribePush(endpoint);

  expect(seen).toHaveLength(1);
  expect(seen[0].url).toBe("/api/push/subscriptions");
  expect(seen[0].init.method).toBe("DELETE");
  expect(JSON.parse(seen[0].init.body)).toEqual({ endpoint });
  expect(seen[0].init.headers["Content-Type"]).toBe("application/json");
});

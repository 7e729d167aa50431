import { expect } from "chai";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createAuthenticator, signToken } from "../src/auth/tokens";
import { TEST_AUTH_SECRET } from "./setup";

describe("bearer tokens", () => {
  const userId = randomUUID();
  const hs256 = createAuthenticator({ secret: TEST_AUTH_SECRET });

  it("accepts an HS256 token and yields its sub", async () => {
    expect(await hs256.userIdFromToken(await signToken(TEST_AUTH_SECRET, userId))).to.equal(userId);
  });

  const refused: Array<[string, () => Promise<string>]> = [
    ["an expired token", () => signToken(TEST_AUTH_SECRET, userId, -60)],
    ["a token signed with another secret", () => signToken("another-secret-that-is-32-bytes-long!!", userId)],
    ["a sub that is not a UUID", () => new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("admin").setExpirationTime("1h").sign(new TextEncoder().encode(TEST_AUTH_SECRET))],
    ["an unsigned token", async () => `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: userId })).toString("base64url")}.`],
    ["garbage", async () => "not.a.token"],
  ];
  for (const [name, make] of refused) {
    it(`refuses ${name} with UNAUTHENTICATED`, async () => {
      const error = await hs256.userIdFromToken(await make()).catch((e) => e);
      expect(error.code).to.equal("UNAUTHENTICATED");
    });
  }

  it("remembers a verified token no longer than it is valid", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(userId).setExpirationTime(expiresAt).sign(new TextEncoder().encode(TEST_AUTH_SECRET));
    expect(await hs256.userIdFromToken(token)).to.equal(userId);
    expect(await hs256.userIdFromToken(token)).to.equal(userId);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    const error = await hs256.userIdFromToken(token).catch((e) => e);
    expect(error.code).to.equal("UNAUTHENTICATED");
  });

  it("verifies against AUTH_JWKS_URL's key set when configured", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    const server = http.createServer((_req, res) => res.setHeader("Content-Type", "application/json").end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const jwks = createAuthenticator({ secret: TEST_AUTH_SECRET, jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` });
      const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "k1" }).setSubject(userId).setExpirationTime("5m").sign(privateKey);
      expect(await jwks.userIdFromToken(token)).to.equal(userId);
      // With a key set in charge, the shared secret no longer opens the door.
      const error = await jwks.userIdFromToken(await signToken(TEST_AUTH_SECRET, userId)).catch((e) => e);
      expect(error.code).to.equal("UNAUTHENTICATED");
    } finally {
      server.close();
    }
  });
});

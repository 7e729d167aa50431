import { expect } from "chai";
import net from "node:net";
import { newUser, stagedFiles, eventually } from "./helpers";
import { testService } from "./setup";

/** A raw connection: sends `request`, then waits for what the server sends until it closes the socket. */
function rawRequest(request: string, limitMs = 15_000): Promise<{ answer: string; closedAfterMs: number }> {
  const { port } = new URL(testService().baseUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (d) => (answer += d));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve({ answer, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${limitMs} ms; it sent: ${answer.slice(0, 200)}`));
    }, limitMs).unref();
  });
}

/** The test service runs with HTTP_HEADERS_TIMEOUT_MS=1500 and HTTP_IDLE_TIMEOUT_MS=3000 (test/setup.ts). */
describe("slow and lying clients", function () {
  this.timeout(30_000);

  it("refuses at once a request declaring more than any upload may be, before staging anything", async () => {
    const user = await newUser();
    const boundary = "x";
    const { answer, closedAfterMs } = await rawRequest(
      `POST /v1/assets/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.auth.Authorization}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000000\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n` + "a".repeat(20),
    );
    expect(answer).to.match(/^HTTP\/1\.1 413/);
    expect(answer).to.include("FILE_TOO_LARGE");
    expect(closedAfterMs).to.be.lessThan(3000);
    expect(await stagedFiles()).to.deep.equal([]);
  });

  it("drops a connection whose headers never finish (slowloris)", async () => {
    const { closedAfterMs } = await rawRequest("GET /v1/assets HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    expect(closedAfterMs).to.be.within(1000, 6000);
  });

  it("drops an upload whose body goes quiet, and leaves no staged file", async () => {
    const user = await newUser();
    const { closedAfterMs } = await rawRequest(
      `POST /v1/assets/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.auth.Authorization}\r\n` +
        `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n` +
        `--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n` + "\x89PNG\r\n\x1a\n",
    );
    expect(closedAfterMs).to.be.within(2500, 8000);
    await eventually(async () => expect(await stagedFiles()).to.deep.equal([]));
  });
});

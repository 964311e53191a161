// Preloaded (`--require`) into the node processes `npm start` supervises: they get an IPC channel from it, which the
// kernel closes when the start script dies, even by kill -9. Then the process stops as if sent SIGTERM (the
// worker finishes its tasks, the API closes), so no orphan keeps serving or holding the data. Without a channel
// (run by hand, by Compose; the SDK's workflow thread) this does nothing. Plain JavaScript: node preloads it into
// every thread, including threads where tsx's hooks are not registered yet.
if (process.channel) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep the process alive after a normal stop.
  process.channel.unref();
}

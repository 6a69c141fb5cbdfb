/** Saves tokens to the file store at argv[2] in a loop until killed (the kill -9 test's victim). */
import { FileTokenStore } from '../../src/stores/file-store.js';

const store = new FileTokenStore({ path: process.argv[2]! });
void (async () => {
  for (let i = 0; ; i++) await store.save({ userId: `u${i % 5}@x`, accessToken: `AT-${i}`, refreshToken: `RT-${i}`, expiresAt: i });
})();

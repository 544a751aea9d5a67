// Who is signed in, and what the server's policy lets them do.
import { setCsrfToken } from './api.js';

export const session = {
  me: null,
  set(me) {
    this.me = me;
    setCsrfToken(me ? me.csrf_token : null);
  },
  can(permission) {
    return Boolean(this.me && this.me.permissions.includes(permission));
  },
  get isPlatformAdmin() {
    return this.me?.kind === 'platform_admin';
  },
};

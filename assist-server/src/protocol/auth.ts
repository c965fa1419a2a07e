/** Sign-in and user administration (assist-server routes/auth-routes.ts, routes/user-admin-routes.ts). */
export const USER_ROLES = ['agent', 'supervisor', 'reviewer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const AUTH_SIGN_IN_PATH = '/api/auth/sign-in';
export const AUTH_SIGN_OUT_PATH = '/api/auth/sign-out';
export const AUTH_ME_PATH = '/api/auth/me';

/** The signed-in user, as `GET /api/auth/me` and `POST /api/auth/sign-in` return it. */
export interface SignedInUser {
  userId: string;
  username: string;
  displayName: string;
  role: UserRole;
  teamId: string | null;
}

export interface SignInRequest {
  username: string;
  password: string;
  /** Scripts: also return the session token (send it as `Authorization: Bearer`). The UI uses the HttpOnly cookie only. */
  issueToken?: boolean;
}

export interface SignInResponse {
  user: SignedInUser;
  expiresAtMs: number;
  token?: string;
}

export interface UserSummary extends SignedInUser {
  createdAtMs: number;
  disabled: boolean;
}

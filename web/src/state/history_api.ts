// The DM history endpoints of the web API (history.md): POST JSON with the
// user's chat token; errors come back in an `Error` field.
export interface HistoryMessage {
  msgID: number;
  username: string;
  message: string;
  timestamp: string;
}

export interface HistoryPage {
  Messages?: HistoryMessage[];
  Remaining?: number;
  Error?: string;
}

export interface UsernamesPage {
  Usernames?: string[];
  Pages?: number;
  Count?: number;
  Error?: string;
}

async function post<T>(path: string, body: object): Promise<T> {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  let data: unknown;
  try {
    data = await r.json();
  } catch {
    throw new Error(`The server answered ${r.status} without JSON.`);
  }
  const err = (data as { Error?: string }).Error;
  if (err) throw new Error(err);
  if (!r.ok) throw new Error(`The server answered ${r.status}.`);
  return data as T;
}

export function fetchHistory(jwt: string, username: string, beforeID: number): Promise<HistoryPage> {
  return post('/api/message/history', { JWTToken: jwt, Username: username, BeforeID: beforeID });
}

export function fetchUsernames(jwt: string, sort: string, page: number): Promise<UsernamesPage> {
  return post('/api/message/usernames', { JWTToken: jwt, Sort: sort, Page: page });
}

export function clearHistory(jwt: string): Promise<{ MessagesErased?: number }> {
  return post('/api/message/clear', { JWTToken: jwt });
}

export interface ProfileField {
  Name: string;
  Value: string;
}
export interface ProfileAnswer {
  OK?: boolean;
  Error?: string;
  ProfileFields?: ProfileField[];
  Headline?: string;
}

export function fetchProfile(jwt: string, username: string): Promise<ProfileAnswer> {
  return post('/api/profile', { JWTToken: jwt, Username: username });
}

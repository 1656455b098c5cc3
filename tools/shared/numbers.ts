// Numbers as every report writes them: thousands separated, nouns in the plural when needed.

/** `1,234`. */
export const count = (n: number): string => n.toLocaleString("en-US");

/** `1 user`, `2 users`, `3 entries`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

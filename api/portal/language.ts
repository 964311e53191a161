// The portal speaks the seeds' Portuguese by default and English on request (a cookie the language links set).
import type { Request } from 'express';

export const LANGUAGES = ['pt-BR', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = 'arauto_portal_lang';

/** A page's words in every language: the English must name the same keys as the Portuguese. */
export const wordsOf = <W extends Record<string, string>>(words: { 'pt-BR': W; en: NoInfer<W> }) => words;

export function languageOf(req: Request): Language {
  const chosen = cookieOf(req, LANGUAGE_COOKIE);
  return (LANGUAGES as readonly string[]).includes(chosen ?? '') ? (chosen as Language) : 'pt-BR';
}

/** One cookie's value from the request (no parser package for two cookies). */
export function cookieOf(req: Request, name: string): string | undefined {
  const pair = (req.headers.cookie ?? '').split(/; */).find((c) => c.startsWith(`${name}=`));
  return pair === undefined ? undefined : decodeURIComponent(pair.slice(name.length + 1));
}

const dateTime = {
  'pt-BR': new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'medium' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Sao_Paulo', dateStyle: 'medium', timeStyle: 'medium' }),
};

/** An instant as the merchant reads it: Brasília time (the seeds' clock). */
export const formatInstant = (language: Language, iso: string | null | undefined) =>
  iso ? dateTime[language].format(new Date(iso)) : '—';

// SPDX-License-Identifier: MPL-2.0
// The one question the communication iframe ever shows, when the browser keeps Persona's cookies away
// from it: "stay signed in to this site?". Its button is the user's gesture in this frame that the
// Storage Access API requires. Styled through the CSSOM (our CSP allows no inline style attribute),
// so the frame needs no stylesheet the rest of the time.

export const PROMPT_TEXT = {
  title: (site: string) => `Stay signed in to ${site}?`,
  body: 'Your browser keeps Persona out of this site unless you allow it. Allow it once, and this site will know you are signed in with Persona.',
  allow: 'Allow',
  later: 'Not now',
} as const

export interface PromptAnswer {
  /** Runs inside the user's click: asks the browser; true when access was granted. */
  readonly allow: () => Promise<boolean>
  /** The prompt is gone (granted, refused, or dismissed). */
  readonly done: (granted: boolean) => void
}

function styled<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Partial<Record<'cssText', string>>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (style.cssText) el.style.cssText = style.cssText
  if (text !== undefined) el.textContent = text
  return el
}

const BUTTON = 'font:inherit;padding:.45rem 1rem;border-radius:6px;cursor:pointer;'

/** Shows the prompt in this (now visible) frame. */
export function showAccessPrompt(siteHost: string, answer: PromptAnswer): void {
  const card = styled('section', {
    cssText:
      'box-sizing:border-box;height:100%;margin:0;padding:14px 16px;font:14px/1.4 system-ui,sans-serif;color:#1d1d1f;background:#fff;border:1px solid #c9ccd1;border-radius:12px;',
  })
  card.setAttribute('role', 'dialog')
  card.setAttribute('aria-labelledby', 'persona-access-title')
  card.dataset.screen = 'storage_access'
  const title = styled('h1', { cssText: 'font-size:15px;margin:0 0 6px;' }, PROMPT_TEXT.title(siteHost))
  title.id = 'persona-access-title'
  const body = styled('p', { cssText: 'margin:0 0 10px;' }, PROMPT_TEXT.body)
  const allow = styled(
    'button',
    { cssText: `${BUTTON}background:#0b57d0;color:#fff;border:1px solid #0b57d0;` },
    PROMPT_TEXT.allow,
  )
  allow.id = 'persona-allow'
  allow.type = 'button'
  const later = styled(
    'button',
    { cssText: `${BUTTON}margin-left:8px;background:#fff;color:#1d1d1f;border:1px solid #c9ccd1;` },
    PROMPT_TEXT.later,
  )
  later.id = 'persona-later'
  later.type = 'button'
  const close = (granted: boolean) => {
    card.remove()
    delete document.body.dataset.screen
    answer.done(granted)
  }
  allow.addEventListener('click', () => {
    allow.disabled = true
    void answer.allow().then(close, () => close(false))
  })
  later.addEventListener('click', () => close(false))
  card.append(title, body, allow, later)
  document.body.style.cssText = 'margin:0;'
  document.body.dataset.screen = 'storage_access'
  document.body.append(card)
  allow.focus()
}

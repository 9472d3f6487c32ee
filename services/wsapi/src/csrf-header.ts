// SPDX-License-Identifier: MPL-2.0
// The header a reader answer carries when it gave the session a new CSRF token (first use, or a sign-in,
// which rotates it): the browser's wsapi client takes the new token from it, so a page keeps working
// across a sign-in without asking session_context again. Its own module: the browser bundle imports it.
export const CSRF_HEADER = 'x-csrf-token'

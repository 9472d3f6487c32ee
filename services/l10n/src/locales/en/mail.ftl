# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects. $site is the host of the site that asked (rp.example.com).

mail-subject-new = { $site }: Complete sign-in
mail-subject-confirm = { $site }: Complete sign-in
mail-subject-reverify = { $site }: Confirm your email address again
mail-subject-reset = { $site }: Complete password reset
mail-subject-transition = { $site }: Complete sign-in

## The first paragraph. $email is the recipient's address.

mail-intro-new = { $site } asked { -brand-name } to finish creating your account for { $email }.
mail-intro-confirm = { $site } asked { -brand-name } to confirm { $email } as your email address.
mail-intro-reverify = Your { -brand-name } password was reset, so { $email } must be confirmed again before you use it. { $site } asked for this message.
mail-intro-reset = { $site } asked { -brand-name } to reset the password for { $email }.
mail-intro-transition = { $site } asked { -brand-name } to finish signing you in as { $email }.

mail-open-link = To continue, open this link:
mail-button = Continue
mail-ignore = If you did not ask for this, you can ignore this message: nothing changes until the link is opened.
mail-footer = Sent by { -brand-name } for { $site }.

## Notice to an account's owner: wrong passwords slowed its sign-ins down. $email is the address that was tried, $count how many wrong passwords.

mail-subject-signin-failures = Wrong passwords for your { -brand-name } account
mail-notice-signin-failures = Someone, perhaps you, typed a wrong password { $count } times while signing in to { -brand-name } as { $email }. From now on, each further attempt with a password has to wait a little longer.
mail-notice-signin-failures-safe = Your account is not locked and your password has not changed. Browsers you have signed in with before are not slowed down.
mail-notice-signin-failures-reset = If this was not you, you need do nothing. If you forgot your password, reset it from the sign-in window: the mailed link signs you in at once.
mail-footer-notice = Sent by { -brand-name } to the owner of this account.

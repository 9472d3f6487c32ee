# SPDX-License-Identifier: MPL-2.0
# Shared by every page: the page shells, form fields, buttons, progress and errors.

-brand-name = Persona

## Page shells (written into the HTML at build time)

page-title-account = Your { -brand-name } account
page-title-sign-in = Sign in · { -brand-name }
# $site: the relying site's name or host
page-title-sign-in-to = Sign in to { $site } · { -brand-name }
page-title-confirm = Confirm your address · { -brand-name }
page-title-reset = Reset your password · { -brand-name }
page-title-not-found = Page not found · { -brand-name }
page-title-check-idp = Check an identity provider · { -brand-name }
shell-sign-in-to = Sign in to
shell-footer = { -brand-name } · your email address is your identity
shell-brand = { -brand-name }
not-found-heading = Page not found
not-found-body = There is nothing at this address.
not-found-link = Go to your { -brand-name } account

## Form fields

field-email = Email address
field-new-email = New email address
field-password = Password
field-current-password = Current password
field-new-password = New password
field-repeat-password = Repeat the password
field-repeat-new-password = Repeat the new password

## Buttons

action-next = Next
action-continue = Continue
action-cancel = Cancel
action-back = Back
action-sign-in = Sign in
action-sign-out = Sign out
action-try-again = Try again
action-forgot-password = Forgot your password?
action-use-another = Use another address

## Progress (read out by screen readers)

status-loading = Loading
status-checking-address = Checking your address…
status-signing-in = Signing in…
status-signing-out = Signing out…
status-sending-email = Sending you an email…
status-saving = Saving…
status-signed-in-as = Signed in as { $email }.

## Passwords

password-hint = 8 to 80 characters.
password-too-short = The password must have at least 8 characters.
password-too-long = The password must have at most 80 characters.
password-length = The password must be 8 to 80 characters long.
password-mismatch = The passwords do not match.

## Errors

error-email-invalid = Please enter a valid email address.
error-throttled = Too many emails were sent to that address. Please try again in a minute.
error-busy = { -brand-name } is busy right now. Please try again.
error-network = { -brand-name } cannot be reached. Check your connection and try again.
error-generic = Something went wrong. Please try again.
error-signed-out = You are not signed in any more. Please start again.
error-no-such-address = There is no account with that email address.
error-already-verified = That email address is already verified.
error-not-yours = That email address does not belong to your account.
error-needs-reverify = That email address needs to be verified again before you can use it.
error-cookies = Your browser did not keep { -brand-name }’s cookie. Allow cookies for this site and try again.

## Email addresses managed by their own provider (a primary identity provider)

# $issuer: the provider's domain, e.g. example.com
primary-heading = Sign in with { $issuer }
# $email is shown in bold, and so is $issuer
primary-managed = { $email } is managed by { $issuer }.
primary-explain = Sign in at { $issuer } to confirm it is you; you will come back here afterwards.
primary-continue = Continue to { $issuer }
primary-asking = Asking { $issuer } to vouch for { $email }…
primary-failed = { $issuer } could not sign you in. Please try again later.
primary-cancelled = { $issuer } did not sign you in.
primary-no-pages = { $issuer } did not say where to sign in.

# SPDX-License-Identifier: MPL-2.0
# The sign-in dialog a relying site opens (/sign_in). $site is the site's name (or host).

dialog-email-heading = Sign in with your email address
# $terms and $privacy are links; their text is dialog-legal-terms and dialog-legal-privacy
dialog-legal = By proceeding, you agree to the { $terms } and the { $privacy } of { $site }.
dialog-legal-terms = Terms of Service
dialog-legal-privacy = Privacy Policy

dialog-add-heading = Add an email address
dialog-add-submit = Add

dialog-password-heading = Enter your password
dialog-error-wrong-password = That password is not right.
dialog-error-locked = Too many wrong passwords for this account. Wait a moment and try again, or reset your password.
dialog-confirmed-enter-password = Your address is confirmed. Enter your password to finish signing in.

dialog-new-password-heading = Create a password
dialog-choose-password-heading = Choose a password
dialog-create-account = Create account

## "Remember you?" after signing in on a computer

dialog-computer-heading = Remember you?
dialog-computer-question = How long would you like to stay signed in with { -brand-name }?
dialog-computer-mine = One month
dialog-computer-mine-hint = I trust this computer.
dialog-computer-not-mine = This session only
dialog-computer-not-mine-hint = This is not my computer: sign me out within an hour.
dialog-computer-fine = You can sign out of { -brand-name } at any time.
dialog-computer-announce = Signed in. How long would you like to stay signed in?
dialog-computer-remembering = Remembering you…

## Waiting for the emailed link

dialog-check-email-heading = Check your email
# $email is shown in bold
dialog-check-email-sent = We sent a message to { $email }.
dialog-check-email-confirm = Click the link in it to confirm the address. This window will continue on its own.
dialog-check-email-reset = Click the link in it to choose a new password.
dialog-check-email-announce = Email sent to { $email }. Waiting for you to click the link.

## Choosing an address

dialog-pick-heading = Sign in to { $site }
dialog-pick-legend = Choose an email address
dialog-pick-add = Add another email address
dialog-pick-not-me = This is not me
dialog-pick-none = Please choose an address.

## Primary identity providers

dialog-provisioning-heading = Checking with { $issuer }

## Done

dialog-signed-in-heading = Signed in
dialog-signed-in-body = Signing you in to { $site } as { $email }…

## Errors

dialog-error-heading = Something went wrong
dialog-error-start-again = That did not work. Please start again.
dialog-error-no-opener = This window must be opened by a site that uses { -brand-name }.
dialog-error-bad-redirect = This sign-in link is not valid. Please go back and try again.
dialog-error-idp-offline = The identity provider for { $email } is offline right now. Please try again later.

## Re-verification after a password reset

dialog-reverify-heading = Confirm your address again
# $email is shown in bold
dialog-reverify-explain = Your password was reset, so { $email } must be confirmed again before you can use it. We will send a message with a link to that address.
dialog-reverify-send = Send the email
dialog-check-email-reverify = Click the link in it to confirm the address again. This window will continue on its own.

## Cookies disabled

dialog-cookies-heading = { -brand-name } needs cookies
# $persona: Persona's host name, e.g. login.persona.org
dialog-cookies-explain = Your browser does not let { -brand-name } keep a cookie, so it cannot remember that you are signing in. Allow cookies for { $persona } in your browser’s settings, then try again.

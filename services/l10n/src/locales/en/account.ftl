# SPDX-License-Identifier: MPL-2.0
# The account manager (/): sign in, the account's addresses, password, cancelling the account.

account-signin-heading = Sign in to your { -brand-name } account
account-signin-primary-hint = If your email provider supports { -brand-name }, leave the password empty: you sign in with your provider.
account-signin-mismatch = That email address and password do not match an account.
account-forgot-need-email = Enter your email address first.
account-forgot-sent = We sent a message to { $email }. Click the link in it to choose a new password.

account-heading = Your { -brand-name } account
account-emails-heading = Your email addresses
account-remove = Remove
# Read by screen readers on the Remove button
account-remove-label = Remove { $email }
account-remove-confirm = Remove { $email } from your account?
account-removed = { $email } was removed.

account-add-heading = Add an email address
account-add-choose-password = Choose a password
account-add-submit = Add address
account-check-email-heading = Check your email
# $email is shown in bold
account-check-email-add = We sent a message to { $email }. Click the link in it to add the address.
account-email-sent = Email sent to { $email }.
account-back = Back to your account
account-added = { $email } was added.
account-add-failed = { $email } could not be added.

account-password-heading = Change your password
account-password-submit = Change password
account-password-changing = Changing your password…
account-password-wrong = The current password is not right.
account-password-changed = Your password was changed.

account-cancel-heading = Cancel your account
account-cancel-explain = This removes every address and forgets the account. It cannot be undone.
account-cancel-confirm = Yes, cancel my account
account-cancel-submit = Cancel account
account-cancel-tick = Tick the box to confirm.
account-cancelling = Cancelling your account…
account-cancelled = Your account was cancelled.
account-signed-out = You are signed out.

## Re-verification after a password reset

account-unverified = Not confirmed
account-reverify = Confirm again
# Read by screen readers on the Confirm again button
account-reverify-label = Confirm { $email } again
account-reverify-sent = We sent a message to { $email }. Click the link in it to confirm the address again.
account-reverified = { $email } is confirmed.
account-unverified-hint = After a password reset, your other addresses must be confirmed again before you use them.

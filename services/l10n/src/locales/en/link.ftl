# SPDX-License-Identifier: MPL-2.0
# The pages behind the links in Persona's emails (confirm an address, reset the password).

link-checking = Checking your link…
link-incomplete = The link is incomplete. Please copy the whole link from the email.
link-failed-heading = This link did not work
link-used-or-expired = This link has already been used, or it has expired.
link-go-to-account = Go to your { -brand-name } account

link-password-heading = Enter your password
link-new-password-heading = Choose a new password
link-save-password = Save password
link-confirm = Confirm
link-need-password = Please enter your password.
link-wrong-password = That password is not right.

link-confirmed-heading = Your address is confirmed
# $email is shown in bold
link-confirmed-body = { $email } is ready to use.
link-confirmed-announce = Address confirmed.
link-reset-heading = Your password is reset
link-reset-body = { $email } can sign in with the new password.
link-reset-announce = Password reset.
link-continue-elsewhere = If you started signing in to a site in another window, it will continue there. You can close this page.
link-manage-account = Manage your { -brand-name } account

# $site: the relying site's name
link-return-to-site = Continue to { $site }

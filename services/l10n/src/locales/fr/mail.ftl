# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

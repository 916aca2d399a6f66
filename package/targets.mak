# SPDX-License-Identifier: ISC
# What the build makes. Programs: one folder each, every .c in it linked with build/libsvtree.a.
BIN_TARGETS = svscan supervise svctl svlog

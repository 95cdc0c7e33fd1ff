# Installing lutrace on a host, included by the top-level Makefile (which
# defines BUILD).
#
#   make install     the static lutrace, its man page, the systemd units and
#                    the report script, the alert rules and the Grafana
#                    dashboard, under DESTDIR + PREFIX (default /usr/local)
#   make uninstall   removes what install put there
#   make deb         a Debian package, built by dpkg-buildpackage from a copy
#                    of the checkout: build/deb/ (deploy/build-deb.sh)
#
# Units go to $(PREFIX)/lib/systemd/system: /usr/local/lib/systemd/system
# and /usr/lib/systemd/system are both on systemd's unit search path. The
# Debian package puts them in /lib/systemd/system (debian/rules), where
# bookworm's debhelper and lintian want them.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

DEPLOY_UNITS := lutrace-record.service lutrace-report.service \
	lutrace-vmm-pre.target lutrace-vmm-retrieved.target
# What each installed file is made from, as DEST:SOURCE.
DEPLOY_FILES := \
	$(BINDIR)/lutrace:$(BUILD)/lutrace \
	$(MANDIR)/man8/lutrace.8:tracer/lutrace.8 \
	$(LIBEXECDIR)/lutrace/lutrace-report:$(BUILD)/deploy/lutrace-report \
	$(foreach u,$(DEPLOY_UNITS),$(SYSTEMDUNITDIR)/$(u):$(BUILD)/deploy/$(u)) \
	$(DATADIR)/lutrace/alerts/lutrace.rules.yml:dashboards/prometheus/lutrace.rules.yml \
	$(DATADIR)/lutrace/grafana/lutrace.json:dashboards/grafana/lutrace.json \
	$(DATADIR)/lutrace/grafana/provisioning/dashboards/lutrace.yml:dashboards/grafana/provisioning/dashboards/lutrace.yml \
	$(DATADIR)/lutrace/grafana/provisioning/datasources/lutrace.yml:dashboards/grafana/provisioning/datasources/lutrace.yml
DEPLOY_EXECUTABLES := $(BINDIR)/lutrace $(LIBEXECDIR)/lutrace/lutrace-report
DEPLOY_DEST = $(DESTDIR)$(firstword $(subst :, ,$(1)))
DEPLOY_SRC = $(lastword $(subst :, ,$(1)))

.PHONY: install uninstall deb

# The paths the units and the script name, rewritten only when one changes:
# `make install PREFIX=/usr` after a /usr/local one substitutes them again.
DEPLOY_PATHS := $(BUILD)/deploy/paths
$(DEPLOY_PATHS): FORCE
	@mkdir -p $(@D)
	@printf 'bindir=%s\nlibexecdir=%s\n' '$(BINDIR)' '$(LIBEXECDIR)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/deploy/%: deploy/%.in $(DEPLOY_PATHS)
	@mkdir -p $(@D)
	sed -e 's|@bindir@|$(BINDIR)|g' -e 's|@libexecdir@|$(LIBEXECDIR)|g' $< >$@.tmp
	chmod --reference=$< $@.tmp
	mv $@.tmp $@

$(BUILD)/deploy/%.target: deploy/%.target
	@mkdir -p $(@D)
	cp $< $@

define DEPLOY_INSTALL_ONE
	install -D -m $(if $(filter $(firstword $(subst :, ,$(1))),$(DEPLOY_EXECUTABLES)),0755,0644) \
		$(call DEPLOY_SRC,$(1)) $(call DEPLOY_DEST,$(1))

endef
# Directories of lutrace's own, deepest first; the shared ones (bin, man8,
# the unit directory) are left.
DEPLOY_OWN_DIRS := $(addprefix $(DATADIR)/lutrace/,grafana/provisioning/dashboards \
	grafana/provisioning/datasources grafana/provisioning grafana alerts) \
	$(DATADIR)/lutrace $(LIBEXECDIR)/lutrace

install: $(foreach f,$(DEPLOY_FILES),$(call DEPLOY_SRC,$(f)))
	$(foreach f,$(DEPLOY_FILES),$(call DEPLOY_INSTALL_ONE,$(f)))

uninstall:
	rm -f $(foreach f,$(DEPLOY_FILES),$(call DEPLOY_DEST,$(f)))
	for d in $(addprefix $(DESTDIR),$(DEPLOY_OWN_DIRS)); do \
		[ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d"; \
	done

# Not through preflight: what a package build needs is debian/control's
# Build-Depends, which build-deb.sh checks (and installs, as root).
deb:
	deploy/build-deb.sh $(BUILD)/deb

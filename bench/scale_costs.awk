# Issue 14, item 4 (bench/scale.sh): what each vfio-pci device of a live
# update cost the kernel, from lutrace's own events, and the blackout of the
# first and of the last handed-over device, from the report's phases.
#
#   lutrace report -j FLIGHT.log | awk -f bench/scale_costs.awk
#
# The series' tracepoints fire when a step is done, so a step is timed from
# the event that ended the step before it:
#   preserve  stage 1: a vfio-pci liveupdate_file_preserve, from the event
#             before it in its session (its create, or the file preserved
#             before it); lu_vfio preserve issues the ioctls one after the
#             other with its check line between, which this includes
#   freeze    stage 1: a vfio-pci liveupdate_file_freeze, from the freeze
#             before it of any file (or kernel_kexec): the kexec freezes
#             every file in turn in the kernel, nothing between
#             freeze_reset: of that, the device's function reset (pci_reset
#             to vfio_pci_reset site=freeze), the same device work whatever
#             the number of devices: when it grows as the freeze does, the
#             guest runs slower, not the freeze's own logic
#   retrieve  stage 2: a vfio-pci liveupdate_file_retrieve, from the event
#             before it in its session (its retrieve, its refused finish, or
#             the file retrieved before it); lu_vfio retrieve issues these
#             ioctls back to back
#   enable    stage 2: the devices' first enables (vfio_pci_reset_skipped,
#             or a reset at enable, as lutrace's handover takes it), from
#             lu_vfio's "binding dev=BDF" milestones just before it binds
#             each (opening /dev/iommu, VFIO_DEVICE_BIND_IOMMUFD up to the
#             enable). lu_vfio binds the devices in threads of their own, at
#             once, so one device's span holds the others' work: the step is
#             timed as a whole, from the first binding to the last first
#             enable. Not from the pci_clear_master vfio_pci_core_enable()
#             starts with: that tracepoint fires only when the bit changes,
#             and a recorder that attached late imports no other
# Prints "NAME MS COUNT" for each of these: the per-device share of the
# step (the mean of the devices' times, the enables' span over their
# count) and how many devices it timed, "blackout_first_s S" and
# "blackout_last_s S" (the first and last device of the report, in PCI
# order: lu_vfio's token order), and "devices N" (the handovers). Fails
# (exit 1) when events are out of order or no handover was found.

# The string or number member KEY of this line (the first such member: the
# event's own fields come before its free text).
function str(key) {
	if (!match($0, "\"" key "\":\"[^\"]*\""))
		return ""
	return substr($0, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
}

function num(key) {
	if (!match($0, "\"" key "\":-?[0-9]+"))
		return ""
	return substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3) + 0
}

function add(step, ns) {
	sum[step] += ns
	count[step]++
}

/"type":"phases"/ {
	if (num("stage") != 1)
		next
	b = num("blackout_ns")
	if (b == "")
		next
	if (handovers == 0)
		first_blackout = b
	last_blackout = b
	handovers++
	next
}

!/"type":"event"/ { next }

{
	t = num("t_ns"); stage = num("stage"); ev = str("event"); dev = str("dev")
	sess = str("session"); vfio = str("compatible") ~ /^vfio-pci/
	if (t < last_t) {
		printf "scale_costs: events out of order at t_ns %d\n", t > "/dev/stderr"
		bad = 1
		exit 1
	}
	last_t = t
}

stage == 1 && (ev == "liveupdate_session_create" || ev == "liveupdate_file_preserve") {
	if (ev == "liveupdate_file_preserve" && vfio && num("ret") == 0 && (sess in before1))
		add("preserve", t - before1[sess])
	before1[sess] = t
}

stage == 1 && ev == "kernel_kexec" { freezing = 1; before_freeze = t }

stage == 1 && ev == "pci_reset" && freezing { reset_at[dev] = t }

stage == 1 && ev == "vfio_pci_reset" && num("arg") == 4 && freezing && (dev in reset_at) {
	add("freeze_reset", t - reset_at[dev])
	delete reset_at[dev]
}

stage == 1 && ev == "liveupdate_file_freeze" && freezing {
	if (vfio && num("ret") == 0)
		add("freeze", t - before_freeze)
	before_freeze = t
}

stage == 2 && (ev == "liveupdate_session_retrieve" || ev == "liveupdate_session_finish" ||
	       ev == "liveupdate_file_retrieve") {
	if (ev == "liveupdate_file_retrieve" && vfio && num("ret") == 0 && (sess in before2))
		add("retrieve", t - before2[sess])
	before2[sess] = t
}

stage == 2 && ev == "marker" && str("text") ~ /^binding / {
	binding[dev] = 1
	if (!bindings++)
		first_binding = t
}

stage == 2 && (ev == "vfio_pci_reset_skipped" || (ev == "vfio_pci_reset" && num("arg") == 0)) &&
	!(dev in enabled) && (dev in binding) {
	enabled[dev] = 1
	count["enable"]++
	sum["enable"] = t - first_binding
}

END {
	if (bad)
		exit 1
	if (!handovers) {
		print "scale_costs: no handed-over device with a blackout in the report" > "/dev/stderr"
		exit 1
	}
	n = split("preserve freeze freeze_reset retrieve enable", steps, " ")
	for (i = 1; i <= n; i++) {
		s = steps[i]
		printf "%s %.6f %d\n", s, count[s] ? sum[s] / count[s] / 1e6 : 0, count[s]
	}
	printf "blackout_first_s %.6f\n", first_blackout / 1e9
	printf "blackout_last_s %.6f\n", last_blackout / 1e9
	printf "devices %d\n", handovers
}

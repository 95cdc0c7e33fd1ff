#!/bin/sh
# Stage 5 of lu-incoming-corrupt: see corrupt-stage.sh.
exec /lutrace/scenarios/lu-incoming-corrupt/corrupt-stage.sh

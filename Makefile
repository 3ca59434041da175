# Shortcuts for the README's commands (dev.py does the work and needs only Python).
.PHONY: run test bench clean-data
run:
	python3 dev.py run
test:
	python3 dev.py test
bench:
	python3 dev.py bench
clean-data:
	rm -rf data

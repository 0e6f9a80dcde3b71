# The two commands of the README:
#   make run   installs what is missing, builds, and serves on 127.0.0.1:9000
#   make test  installs what is missing, builds (plain and ASan+UBSan), runs every test
ADDRESS ?= 127.0.0.1:9000
JOBS ?= $(shell nproc)

.PHONY: run test deps build build-asan web unit e2e e2e-asan bench format clean

run: build web
	./build/barertc -address $(ADDRESS)

test: deps
	./scripts/run-tests.sh

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B build -G Ninja -DBARERTC_WERROR=ON >/dev/null
	@cmake --build build -j $(JOBS)

build-asan: deps
	@cmake -S . -B build-asan -G Ninja -DBARERTC_SANITIZE=ON -DBARERTC_WERROR=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-asan -j $(JOBS)

# The browser client, rebuilt when one of its sources changed.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/package-lock.json web/vite.config.ts web/tsconfig.json
web: deps web/dist/static/app.js

web/dist/static/app.js: $(WEB_SOURCES)
	@cd web && npm run --silent build >/dev/null

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp')

clean:
	rm -rf build build-asan web/dist

# The two commands of the README:
#   make run   installs what is missing, builds, and serves on 127.0.0.1:9000
#   make test  installs what is missing, builds (plain and ASan+UBSan), runs every test
ADDRESS ?= 127.0.0.1:9000
JOBS ?= $(shell nproc)

.PHONY: run test deps build build-asan unit e2e e2e-asan bench format clean

run: build
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

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp')

clean:
	rm -rf build build-asan

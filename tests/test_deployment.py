"""The deployment files (Dockerfile, docker-compose.yml, .env.example) agree with the code they start.

No Docker engine is used: the files are parsed, and what they name is imported, or run with this
Python in a subprocess under the production settings.
"""

import functools
import importlib.util
import inspect
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path, PurePosixPath

import environ
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.bin.base import CLIContext
from celery.bin.beat import beat as celery_beat_command
from celery.bin.celery import celery as celery_command_group
from celery.bin.worker import worker as celery_worker_command
from django.conf import settings
from django.core.management import get_commands
from gunicorn.config import Config as GunicornConfig
from gunicorn.util import import_app

from .conftest import require_component

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
PRODUCTION_SETTINGS = "zelfbeheer.settings.production"
# Read by the settings but deliberately not part of a production .env.
DEVELOPMENT_ONLY_VARIABLES = {"DEMO_MFA_BYPASS_CODE"}
SHELL_OPERATORS = {"&&", "||", ";", ";;", "|", "&"}
KNOWN_PROGRAMS = {"gunicorn", "celery", "manage.py"}


# --- Reading the files ---


@functools.cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def services() -> dict[str, dict]:
    return compose()["services"]


def app_services() -> dict[str, dict]:
    """The services that run the portal's own image."""
    return {name: service for name, service in services().items() if "build" in service}


@functools.cache
def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions, continuation lines joined, split into build stages."""
    stages: list[list[tuple[str, str]]] = []
    logical = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # comments may also sit between continuation lines
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        instruction, _, arguments = logical.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append([])
        assert stages, "a Dockerfile starts with FROM"
        stages[-1].append((instruction, arguments.strip()))
        logical = ""
    return stages


def final_stage() -> list[tuple[str, str]]:
    return dockerfile_stages()[-1]


def instructions(name: str, stage: list[tuple[str, str]] | None = None) -> list[str]:
    return [arguments for instruction, arguments in (stage or final_stage()) if instruction == name]


def exec_form(arguments: str) -> list[str]:
    if arguments.startswith("["):
        return json.loads(arguments)
    return ["/bin/sh", "-c", arguments]


def dockerfile_cmd() -> list[str]:
    commands = instructions("CMD")
    assert commands, "the image needs a default CMD"
    return exec_form(commands[-1])


def dockerfile_env() -> dict[str, str]:
    values: dict[str, str] = {}
    for arguments in instructions("ENV"):
        tokens = shlex.split(arguments)
        if "=" not in tokens[0]:  # legacy form: ENV KEY value
            values[tokens[0]] = " ".join(tokens[1:])
            continue
        values.update(token.split("=", 1) for token in tokens)
    return values


def dockerfile_workdir() -> PurePosixPath:
    workdir = PurePosixPath("/")
    for arguments in instructions("WORKDIR"):
        workdir = workdir / arguments
    return workdir


def dockerfile_user() -> str:
    users = instructions("USER")
    assert users, "the image must switch to a non-root USER"
    return users[-1].split(":")[0]


@functools.cache
def env_example() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def service_environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def volume_targets(service: dict) -> dict[str, str]:
    """Mount point in the container -> named volume or host path."""
    targets = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            targets[volume["target"]] = volume.get("source", "")
        else:
            parts = volume.split(":")
            targets[parts[1] if len(parts) > 1 else parts[0]] = parts[0]
    return targets


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, with `exec` and leading VAR=value assignments removed."""
    lexer = shlex.shlex(
        script.replace("\\\n", " ").replace("\n", " ; "), posix=True, punctuation_chars=True
    )
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in SHELL_OPERATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return [strip_prefixes(command) for command in commands if command]


def assignments(argv: list[str]) -> dict[str, str]:
    """The VAR=value assignments in front of a command."""
    values = {}
    for token in argv:
        if not re.fullmatch(r"[A-Za-z_]\w*=.*", token):
            break
        key, value = token.split("=", 1)
        values[key] = value
    return values


def strip_prefixes(argv: list[str]) -> list[str]:
    argv = argv[len(assignments(argv)) :]
    while argv and argv[0] in {"exec", "env"}:
        argv = argv[1:]
    return argv


def argvs(command: str | list[str]) -> list[list[str]]:
    """The programs a compose command or Docker CMD runs (a `sh -c` script may run several)."""
    argv = shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]
    argv = [arg.replace("$$", "$") for arg in argv]  # compose's escape for a literal $
    if len(argv) >= 3 and PurePosixPath(argv[0]).name in {"sh", "bash"} and argv[1] == "-c":
        return shell_commands(argv[2])
    return [strip_prefixes(argv)]


def program_and_arguments(argv: list[str]) -> tuple[str, list[str]]:
    name = PurePosixPath(argv[0]).name
    if re.fullmatch(r"python[\d.]*", name) and len(argv) > 1:
        if argv[1] == "-m":
            return argv[2], argv[3:]
        if PurePosixPath(argv[1]).name == "manage.py":
            return "manage.py", argv[2:]
    return name, argv[1:]


def commands() -> list[tuple[str, str, list[str]]]:
    """(where, program, arguments) for every program the image's containers run."""
    found = [("Dockerfile CMD", *program_and_arguments(argv)) for argv in argvs(dockerfile_cmd())]
    for name, service in app_services().items():
        assert "entrypoint" not in service, f"{name}: these tests do not read entrypoints"
        for argv in argvs(service.get("command") or dockerfile_cmd()):
            found.append((name, *program_and_arguments(argv)))
    return found


def commands_of(program: str) -> list[tuple[str, list[str]]]:
    return [(where, arguments) for where, name, arguments in commands() if name == program]


def parse_gunicorn(arguments: list[str]):
    return (
        GunicornConfig(usage="%(prog)s [OPTIONS] APP_MODULE", prog="gunicorn")
        .parser()
        .parse_args(arguments)
    )


@functools.cache
def celery_app_for(module: str) -> Celery:
    return find_app(module)


def parse_celery(arguments: list[str]) -> tuple[str, str, dict]:
    """(app module, subcommand, the subcommand's parsed options) of `celery -A X sub ...`."""
    subcommands = set(celery_command_group.commands)
    index = next((i for i, arg in enumerate(arguments) if arg in subcommands), None)
    assert index is not None, f"no celery subcommand in {arguments}"
    global_options, subcommand, rest = arguments[:index], arguments[index], arguments[index + 1 :]
    apps = []
    for i, arg in enumerate(global_options):
        if arg in {"-A", "--app"}:
            apps.append(global_options[i + 1])
        elif arg.startswith("--app="):
            apps.append(arg.split("=", 1)[1])
        elif arg.startswith("-A") and len(arg) > 2:
            apps.append(arg[2:].lstrip("="))
    assert len(apps) == 1, f"celery needs exactly one -A before {subcommand!r}: {arguments}"
    context = CLIContext(app=celery_app_for(apps[0]), no_color=True, workdir=None, quiet=True)
    command = {"worker": celery_worker_command, "beat": celery_beat_command}.get(subcommand)
    assert command is not None, f"celery {subcommand} is not a process these tests know"
    return apps[0], subcommand, command.make_context(subcommand, list(rest), obj=context).params


def celery_processes() -> list[tuple[str, str, dict]]:
    return [(where, *parse_celery(arguments)[1:]) for where, arguments in commands_of("celery")]


def used_queues() -> set[str]:
    queues = {settings.CELERY_TASK_DEFAULT_QUEUE}
    routes = settings.CELERY_TASK_ROUTES or {}
    for table in [routes] if isinstance(routes, dict) else routes:
        if isinstance(table, dict):
            queues |= {route["queue"] for route in table.values() if "queue" in route}
    return queues


def referenced_variables(value) -> set[str]:
    """Variables compose interpolates (${NAME}, ${NAME:-default}, $NAME), not the escaped $$."""
    if isinstance(value, dict):
        return set().union(*(referenced_variables(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(referenced_variables(item) for item in value))
    if not isinstance(value, str):
        return set()
    names = set()
    for match in re.finditer(r"\$(?:\$|\{([A-Za-z_]\w*)[^}]*\}|([A-Za-z_]\w*))", value):
        if match.group(0) != "$$":
            names.add(match.group(1) or match.group(2))
    return names


def git_tracked(path: str) -> bool:
    result = subprocess.run(
        ["git", "ls-files", "--", path], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:  # not a git work tree: the file system is all there is
        return (ROOT / path).exists()
    return bool(result.stdout.strip())


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION_SETTINGS,
        SECRET_KEY="".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64)),
        DATABASE_URL=os.environ.get("DATABASE_URL")
        or f"sqlite:///{tmp_path / 'production.sqlite3'}",
        ALLOWED_HOSTS="portal.example.org",
    )
    env.update(overrides)
    return env


def run_python(args: list[str], env: dict[str, str], timeout: int = 120):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The compose file ---


def test_compose_has_the_portal_services():
    assert {"db", "redis", "web", "worker", "worker-pdf", "beat"} <= set(services())
    assert {"web", "worker", "worker-pdf", "beat"} <= set(app_services())
    for name, service in services().items():
        for volume in volume_targets(service).values():
            assert volume in (compose().get("volumes") or {}), (
                f"{name}: {volume} is no named volume"
            )


def test_every_program_is_one_these_tests_check():
    for where, program, _arguments in commands():
        assert program in KNOWN_PROGRAMS, f"{where} runs {program!r}, which nothing here checks"


def test_gunicorn_targets_import_as_wsgi_callables():
    targets = commands_of("gunicorn")
    assert {where for where, _ in targets} >= {"Dockerfile CMD", "web"}
    for where, arguments in targets:
        parsed = parse_gunicorn(arguments)
        assert len(parsed.args) == 1, f"{where}: gunicorn needs one APP_MODULE, got {parsed.args}"
        module, _, attribute = parsed.args[0].partition(":")
        assert attribute, f"{where}: name the WSGI callable as module:attribute"
        assert importlib.util.find_spec(module), f"{where}: no module {module}"
        application = import_app(parsed.args[0])
        assert callable(application)
        inspect.signature(application).bind({}, lambda status, headers: None)


def test_gunicorn_listens_on_the_port_compose_uses():
    for where, arguments in commands_of("gunicorn"):
        binds = parse_gunicorn(arguments).bind
        assert binds == ["0.0.0.0:8000"], (
            f"{where}: must listen on every interface of the container"
        )
    web = services()["web"]
    assert all(str(port).endswith(":8000") for port in web.get("ports", []))
    assert "127.0.0.1:8000/health/" in json.dumps(web["healthcheck"]["test"])


def test_celery_app_modules_import_and_hold_a_celery_app():
    celery_commands = commands_of("celery")
    assert {where for where, _ in celery_commands} >= {"worker", "worker-pdf", "beat"}
    for where, arguments in celery_commands:
        module, _, _ = parse_celery(arguments)
        importlib.import_module(module)
        assert isinstance(celery_app_for(module), Celery), f"{where}: no Celery app in {module}"


def test_workers_consume_exactly_the_queues_the_project_uses():
    used = used_queues()
    assert used >= {"default", "pdf"}
    consumed = set()
    for where, subcommand, options in celery_processes():
        if subcommand != "worker":
            continue
        queues = set(options["queues"] or [settings.CELERY_TASK_DEFAULT_QUEUE])
        assert queues <= used, f"{where} consumes queues no task is sent to: {queues - used}"
        consumed |= queues
    assert used <= consumed, f"no worker consumes {used - consumed}"


def test_one_beat_with_its_schedule_in_a_volume():
    beats = [
        (where, options)
        for where, subcommand, options in celery_processes()
        if subcommand == "beat" or (subcommand == "worker" and options.get("beat"))
    ]
    assert len(beats) == 1, f"exactly one beat, or each task is scheduled twice: {beats}"
    where, options = beats[0]
    assert where != "Dockerfile CMD"
    schedule = PurePosixPath(options["schedule"])
    mounts = volume_targets(services()[where])
    assert any(schedule.is_relative_to(target) for target in mounts), (
        f"{where}: {schedule} is lost with the container; put it in a volume"
    )


def test_manage_py_subcommands_exist():
    managed = commands_of("manage.py")
    assert any(arguments[:1] == ["migrate"] for _, arguments in managed), "nothing runs migrate"
    available = get_commands()
    for where, arguments in managed:
        assert arguments, f"{where}: manage.py without a subcommand"
        assert arguments[0] in available, f"{where}: no management command {arguments[0]!r}"


def test_processes_that_store_files_mount_media_root():
    env = env_example()
    for name, service in app_services().items():
        programs = {program for where, program, _ in commands() if where == name}
        if programs.isdisjoint({"gunicorn", "celery"}) or "beat" in name:
            continue
        media_root = service_environment(service).get("MEDIA_ROOT") or env.get("MEDIA_ROOT")
        assert media_root, f"{name}: MEDIA_ROOT is not set"
        assert media_root in volume_targets(service), f"{name}: {media_root} is not a volume"


def test_app_services_wait_for_healthy_database_and_redis():
    for name, service in app_services().items():
        depends_on = service.get("depends_on") or {}
        for dependency in ("db", "redis"):
            assert depends_on.get(dependency, {}).get("condition") == "service_healthy", name
    for name in ("db", "redis", "web"):
        assert services()[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_every_service_reads_the_env_file_where_it_needs_it():
    for name, service in services().items():
        if name in app_services() or name == "db":
            assert service.get("env_file") in (".env", [".env"]), name


# --- The Dockerfile ---


def test_settings_module_is_production_and_exists_as_a_file():
    values = {"Dockerfile ENV": dockerfile_env().get("DJANGO_SETTINGS_MODULE")}
    assert values["Dockerfile ENV"] == PRODUCTION_SETTINGS
    for name, service in app_services().items():
        values[name] = service_environment(service).get("DJANGO_SETTINGS_MODULE")
    values[".env.example"] = env_example().get("DJANGO_SETTINGS_MODULE")
    for where, module in values.items():
        if module is None:
            continue
        assert module == PRODUCTION_SETTINGS, f"{where} runs with {module}"
        # find_spec locates the module without running it: production settings validate the env.
        spec = importlib.util.find_spec(module)
        assert spec and spec.origin and Path(spec.origin).is_file(), f"{where}: no module {module}"


def test_image_runs_as_a_non_root_user():
    assert dockerfile_user() not in {"root", "0"}


def test_image_copies_what_the_portal_needs_from_the_repository():
    copied = set()
    for stage in dockerfile_stages():
        for arguments in instructions("COPY", stage) + instructions("ADD", stage):
            tokens = shlex.split(arguments)
            if any(token.startswith("--from") for token in tokens):
                continue
            sources = [token for token in tokens if not token.startswith("--")][:-1]
            for source in sources:
                assert git_tracked(source), f"COPY {source}: not in the repository"
            copied |= {source.rstrip("/") for source in sources}
    needed = {"manage.py", "pyproject.toml", "uv.lock"}
    for app in settings.INSTALLED_APPS:
        top = app.split(".")[0]
        if (ROOT / top).is_dir():
            needed.add(top)
    for directory in [*settings.STATICFILES_DIRS, *settings.TEMPLATES[0]["DIRS"]]:
        needed.add(Path(directory).relative_to(ROOT).as_posix())
    for directory in settings.LOCALE_PATHS:
        if any(Path(directory).rglob("*.po")):
            needed.add(Path(directory).relative_to(ROOT).as_posix())
    assert needed <= copied, f"the image lacks {sorted(needed - copied)}"


def test_volume_mount_points_exist_in_the_image_and_belong_to_its_user():
    """A named volume takes the owner of the image's directory; a missing one would be root's."""
    workdir = dockerfile_workdir()
    created: set[PurePosixPath] = set()
    owned: set[PurePosixPath] = set()
    user = dockerfile_user()
    for arguments in instructions("RUN"):
        for argv in shell_commands(arguments):
            operands = [arg for arg in argv[1:] if not arg.startswith("-")]
            if argv[:1] == ["mkdir"]:
                created |= {workdir / operand for operand in operands}
            elif argv[:1] == ["chown"] and len(operands) > 1:
                owner, *paths = operands
                if owner.split(":")[0] == user:
                    owned |= {workdir / path for path in paths}
    for name, service in app_services().items():
        for target in map(PurePosixPath, volume_targets(service)):
            assert target in created, f"{name}: the image has no directory {target}"
            assert any(target.is_relative_to(path) for path in owned), (
                f"{name}: {target} not {user}'s"
            )


def test_translations_are_compiled_into_the_image(tmp_path):
    """Git holds the .po catalogues only; the image must compile them, or every page is untranslated."""
    locale_dirs = [Path(directory) for directory in settings.LOCALE_PATHS]
    catalogues = [po for directory in locale_dirs for po in directory.rglob("*.po")]
    if not catalogues:
        pytest.skip("no translations yet")
    stages = [
        stage
        for stage in dockerfile_stages()
        if any(
            "msgfmt" in arguments or "compilemessages" in arguments
            for arguments in instructions("RUN", stage)
        )
    ]
    assert stages, "no build step compiles the .po files"
    stage = stages[0]
    locale = Path(settings.LOCALE_PATHS[0]).relative_to(ROOT).as_posix()
    if stage is not final_stage():
        stage_name = shlex.split(stage[0][1])[-1]
        assert any(
            f"--from={stage_name}" in arguments and arguments.endswith(f" {locale}")
            for arguments in instructions("COPY")
        ), f"the compiled catalogues of stage {stage_name} are not copied to {locale}"
    compile_steps = [arguments for arguments in instructions("RUN", stage) if "msgfmt" in arguments]
    if not compile_steps or not shutil.which("msgfmt"):
        pytest.skip("the build step needs msgfmt (Debian package gettext) to be tried here")
    shutil.copytree(ROOT / locale, tmp_path / locale)
    for arguments in compile_steps:
        result = subprocess.run(
            ["sh", "-c", arguments], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
    for po in catalogues:
        assert (tmp_path / po.relative_to(ROOT)).with_suffix(".mo").is_file(), f"{po} not compiled"


def test_collectstatic_as_the_dockerfile_runs_it(tmp_path):
    """Production settings accept the build's dummy env, and the manifest storage finds every file."""
    runs = [
        argv
        for arguments in instructions("RUN")
        for argv in shell_commands(arguments)
        if "collectstatic" in argv
    ]
    assert len(runs) == 1
    require_component(
        (ROOT / "static" / "vendor").is_dir(), "static/vendor (node scripts/copy-assets.mjs)"
    )
    build_env = next(
        assignments(shlex.split(arguments))
        for arguments in instructions("RUN")
        if "collectstatic" in arguments
    )
    assert {"SECRET_KEY", "DATABASE_URL"} <= set(build_env)
    # As in `docker build`: none of the runtime configuration, only the image's ENV and the RUN's own.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in env_example() and not key.startswith("DJANGO_")
    }
    env.update({key: value for key, value in dockerfile_env().items() if key != "PATH"})
    env.update(build_env)
    script = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "django.setup()\n"
        "settings.STATIC_ROOT = sys.argv[1]\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
    )
    result = run_python(["-c", script, str(tmp_path / "staticfiles")], env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles" / "staticfiles.json").is_file()


# --- .env.example ---


def test_every_compose_variable_is_documented():
    missing = referenced_variables(compose()) - set(env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_variable_the_settings_read_is_documented():
    read = set()
    for path in (ROOT / "zelfbeheer" / "settings").glob("*.py"):
        read |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text()))
    assert read >= {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
    missing = read - DEVELOPMENT_ONLY_VARIABLES - set(env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"
    assert not DEVELOPMENT_ONLY_VARIABLES & set(env_example())


def test_env_example_documents_each_variable_once_with_a_comment():
    seen = set()
    previous = ""
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, equals, _ = line.partition("=")
            assert equals and re.fullmatch(r"[A-Z][A-Z0-9_]*", key), f"not KEY=value: {line!r}"
            assert previous.startswith("# "), f"{key} has no comment line above it"
            assert key not in seen, f"{key} twice"
            seen.add(key)
        previous = line


def test_env_example_urls_point_at_the_compose_services():
    env = env_example()
    database = environ.Env.db_url_config(env["DATABASE_URL"])
    assert database["HOST"] in services()
    assert int(database["PORT"]) == 5432
    assert database["USER"] == env["POSTGRES_USER"]
    assert database["PASSWORD"] == urllib.parse.unquote(env["POSTGRES_PASSWORD"])
    assert database["NAME"] == env["POSTGRES_DB"]
    assert urllib.parse.urlsplit(env["REDIS_URL"]).hostname in services()
    assert not env["SECRET_KEY"], "no usable secret key in an example file"


def test_dotenv_is_not_committed():
    result = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, capture_output=True, check=False
    )
    if result.returncode == 128:
        pytest.skip("not a git work tree")
    assert result.returncode == 0, ".env must be in .gitignore"


# --- Production settings, in a subprocess (they validate the environment on import) ---


@pytest.mark.parametrize("source", ["minimal", ".env.example"])
def test_production_settings_pass_check_deploy(tmp_path, source):
    overrides = {}
    if source == ".env.example":
        overrides = {key: value for key, value in env_example().items() if value}
        overrides.update(service_environment(services()["web"]))
    env = production_env(tmp_path, **overrides)
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SECRET_KEY", None), ("SECRET_KEY", "too-short"), ("DATABASE_URL", None)],
)
def test_production_settings_refuse_to_start_without_secrets(tmp_path, variable, value):
    env = production_env(tmp_path)
    if value is None:
        del env[variable]
    else:
        env[variable] = value
    result = run_python(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert variable in result.stderr, result.stderr


def test_web_healthcheck_passes_against_gunicorn_with_production_settings(tmp_path):
    """The healthcheck gets past ALLOWED_HOSTS and SECURE_SSL_REDIRECT, as the container's would."""
    healthcheck = services()["web"]["healthcheck"]["test"]
    assert healthcheck[:3] == ["CMD", "python", "-c"]
    port = free_port()
    probe = healthcheck[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    assert probe != healthcheck[3]
    ((_, arguments),) = [(where, args) for where, args in commands_of("gunicorn") if where == "web"]
    parsed = parse_gunicorn(arguments)
    env = production_env(tmp_path, ALLOWED_HOSTS="portal.example.org,localhost")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            parsed.args[0],
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, "gunicorn did not start"
        result = run_python(["-c", probe], env, timeout=60)
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    assert "Traceback" not in errors, errors

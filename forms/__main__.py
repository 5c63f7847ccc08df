"""``python -m forms list | schema TYPE | validate FILE...``: form types without the app."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from forms.registry import UnknownFormType, default_registry
from forms.yaml_definitions import FormDefinitionError, load_file


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 invalid definition or form type)."""
    parser = argparse.ArgumentParser(prog="python -m forms", description="表单类型")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="列出已注册的表单类型")
    schema = commands.add_parser("schema", help="输出一个表单类型的 JSON Schema")
    schema.add_argument("form_type")
    schema.add_argument("--version", type=int, default=None)
    validate = commands.add_parser("validate", help="检查 YAML 表单定义文件")
    validate.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)

    forms = default_registry()
    if args.command == "list":
        for form_type in forms.form_types():
            versions = ",".join(str(v) for v in form_type.versions)
            print(f"{form_type.name}\tv{versions}\t{form_type.stage}\t{form_type.title('zh')}")
        return 0
    if args.command == "schema":
        try:
            model = forms.get(args.form_type, args.version)
        except UnknownFormType as error:
            print(str(error), file=sys.stderr)
            return 1
        print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))
        return 0
    failed = False
    for path in args.files:
        try:
            model = load_file(path)
        except FormDefinitionError as error:
            failed = True
            print("\n".join(error.messages), file=sys.stderr)
        except OSError as error:
            failed = True
            print(f"{path}:1: 无法读取文件:{error.strerror}", file=sys.stderr)
        else:
            count = len(model.model_fields)
            print(f"{path}: OK ({model.form_type} v{model.form_version}, {count} 个字段)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

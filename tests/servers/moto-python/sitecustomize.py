# Python reads this file as it starts moto_server for the tests (tests/servers/moto.ts puts this
# folder on PYTHONPATH for that process only). With MOTO_IAM_LOAD_MANAGED_POLICIES, moto 5.2 builds
# a new IAM backend for every account and partition it meets (moto/iam/models.py
# `get_account_id_from` touches all partitions of all accounts), and each one parses AWS's whole
# managed policy catalogue again (`IAMBackend._init_aws_policies`: json.loads of the catalogue,
# json.dumps of each document) -- most of moto's time in the tests. Here the catalogue is parsed
# once per process; each backend still gets policy objects of its own, built with the same values
# as moto's `AWSManagedPolicy.from_data`. And `get_account_id_from` (which account an access key
# belongs to, asked on every request) looks only in the backends that exist instead of creating
# one for every partition of every account: a backend not yet made holds no access key, so the
# answer is the same. What moto answers is unchanged; any other moto version runs as it is.
try:
    import json
    from datetime import datetime

    import moto
    from moto.iam import models as iam
except Exception:  # moto not importable here: moto_server reports it itself
    iam = None

if iam is not None and moto.__version__.startswith("5.2.") and hasattr(iam.IAMBackend, "_init_aws_policies") and hasattr(iam, "get_account_id_from"):
    _catalogue = None

    def _init_aws_policies(self):
        global _catalogue
        if not iam.load_iam_aws_managed_policies():
            return []
        if _catalogue is None:
            _catalogue = [
                (
                    name,
                    data.get("DefaultVersionId"),
                    data.get("Path"),
                    json.dumps(data.get("Document")),
                    datetime.fromisoformat(data["CreateDate"]),
                    datetime.fromisoformat(data["UpdateDate"]),
                )
                for name, data in json.loads(iam.aws_managed_policies_data).items()
            ]
        return [
            iam.AWSManagedPolicy(
                name,
                account_id=self.account_id,
                region=self.region_name,
                default_version_id=version,
                path=path,
                document=document,
                create_date=created,
                update_date=updated,
            )
            for name, version, path, document, created, updated in _catalogue
        ]

    iam.IAMBackend._init_aws_policies = _init_aws_policies

    def get_account_id_from(access_key):
        for account_id, account in list(iam.iam_backends.items()):
            for partition in iam.PARTITION_NAMES:
                if partition in dict.keys(account) and access_key in account[partition].access_keys:
                    return account_id
        return iam.DEFAULT_ACCOUNT_ID

    iam.get_account_id_from = get_account_id_from

"""How the OpenAPI schema describes the contractor's key (imported by `urls`, which registers it)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ContractorTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tickets.api.authentication.ContractorTokenAuthentication"
    name = "contractorToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; a key is issued by the office (`manage.py issue_api_token`) "
            "and shown once.",
        }

"""Documentation of the AWS connection options every custom AWS module in library/ accepts.

The options themselves are defined once, in module_utils/fleet_aws.py (aws_argument_spec);
modules name this fragment in extends_documentation_fragment (ansible.cfg's
doc_fragment_plugins points here), and tests/unit/rds/test_module_docs.py checks that what
ansible-doc renders equals each module's argument spec.
"""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The AWS region. Falls back to the E(AWS_REGION) or E(AWS_DEFAULT_REGION) environment variable.
    type: str
    aliases: [aws_region]
  profile:
    description: A profile of the AWS shared credentials/config files. Falls back to E(AWS_PROFILE).
    type: str
    aliases: [aws_profile]
  access_key:
    description: AWS access key id. Falls back to E(AWS_ACCESS_KEY_ID) and the usual boto3 credential chain.
    type: str
    aliases: [aws_access_key_id]
  secret_key:
    description: AWS secret access key. Falls back to E(AWS_SECRET_ACCESS_KEY). Never logged.
    type: str
    aliases: [aws_secret_access_key]
  session_token:
    description: AWS session token for temporary credentials. Falls back to E(AWS_SESSION_TOKEN). Never logged.
    type: str
    aliases: [aws_session_token]
  endpoint_url:
    description: A different endpoint URL for the service (a VPC endpoint, or a local test endpoint).
      Falls back to E(AWS_ENDPOINT_URL).
    type: str
    aliases: [aws_endpoint_url]
  ca_bundle:
    description: A CA bundle to verify the endpoint's certificate with. Falls back to E(AWS_CA_BUNDLE).
    type: path
    aliases: [aws_ca_bundle]
  retry_mode:
    description:
      - botocore's retry mode. Both retry throttling and transient errors with jittered exponential
        backoff; V(adaptive) also slows the client down when AWS throttles it.
      - On top of it the module retries throttling errors that outlast botocore's attempts.
    type: str
    choices: [standard, adaptive]
    default: standard
  max_attempts:
    description: botocore's maximum number of attempts per request (first try included).
    type: int
    default: 5
requirements:
  - boto3
  - botocore
"""

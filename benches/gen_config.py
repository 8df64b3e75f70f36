#!/usr/bin/env python3
"""Write a serverless.yml with N functions, each with async and sync http events."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = [
    "service: bench",
    "frameworkVersion: '3'",
    "provider:",
    "  name: aws",
    "  runtime: provided.al2",
    "  stage: dev",
    "  region: us-east-1",
    "functions:",
]
for i in range(n):
    out += [
        f"  fn{i}:",
        f"    handler: bin/fn{i}",
        "    events:",
        "      - http:",
        f"          path: items{i}/{{id}}",
        "          method: post",
        "          async: true # fire and forget",
        "          integration: lambda",
        "          response:",
        "            statusCodes:",
        "              202:",
        "                pattern: ''",
        f"      - http: GET /items{i}/{{id}}",
    ]
sys.stdout.write("\n".join(out) + "\n")

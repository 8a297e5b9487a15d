//! End-to-end tests of `erlkit lint`'s machine formats: SARIF 2.1.0 (checked
//! against OASIS's schema), JUnit XML (checked to be well-formed) and JSON.

use expect_test::expect;

mod support;

use support::{erlkit, project};

const NO_OTP: [&str; 3] = ["--no-otp", "--otp-release", "25"];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().copied().chain(NO_OTP).collect()
}

/// Two files: an error with a related place, a warning after a non-ASCII
/// character (its UTF-16 column differs from its character column), and a
/// message with XML's special characters.
const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, []}.
//- /src/shop.erl
    -module(shop).
    -export([total/1, greet/1]).
    total(Items) ->
        case Items of
            [] -> Sum = 0;
            _ -> ok
        end,
        Sum.
    greet(Name) -> "😀 <héllo> & ", Unused = 1.
//- /src/clean.erl
    -module(clean).
    -export([f/0]).
    f() -> ok.
//- /src/broken.erl
    -module(broken).
    -error("a <b> & 'c'").
"#;

/// The SARIF schema of OASIS (`tests/data/README.md` says where it is from).
const SARIF_SCHEMA: &str = include_str!("data/sarif-schema-2.1.0.json");

#[test]
fn sarif_output_is_valid_against_the_oasis_schema_and_has_a_rule_per_code() {
    let dir = project(PROJECT);
    let run = erlkit(dir.path(), &args(&["lint", "--format", "sarif"]));
    assert_eq!(run.code, 1, "{}", run.render());
    assert_eq!(run.stderr, "");
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");

    let schema: serde_json::Value = serde_json::from_str(SARIF_SCHEMA).expect("the schema");
    let validator = jsonschema::draft4::new(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );

    // A rule for every code, each with its documentation.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    let codes: Vec<&str> = ide::DiagnosticCode::ALL
        .iter()
        .map(|code| code.code())
        .collect();
    assert_eq!(ids, codes);
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        // The rule's whole section of docs/diagnostics.md, as `erlkit explain` prints it.
        let heading = format!(
            "## {} {}",
            rule["id"].as_str().unwrap(),
            rule["name"].as_str().unwrap()
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .starts_with(&heading),
            "{rule}"
        );
    }

    // The rest, with the rules (documentation that changes) left out.
    let mut shown = log.clone();
    shown["runs"][0]["tool"]["driver"]["rules"] = "<a rule per code>".into();
    shown["runs"][0]["tool"]["driver"]["version"] = "<version>".into();
    let rule_index = |code: &str| codes.iter().position(|c| *c == code).unwrap();
    for result in shown["runs"][0]["results"].as_array_mut().unwrap() {
        let code = result["ruleId"].as_str().unwrap().to_owned();
        assert_eq!(result["ruleIndex"], rule_index(&code));
        result["ruleIndex"] = format!("<index of {code}>").into();
    }
    expect![[r#"
        {
          "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
          "runs": [
            {
              "columnKind": "utf16CodeUnits",
              "results": [
                {
                  "level": "error",
                  "locations": [
                    {
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "src/broken.erl",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "endColumn": 7,
                          "endLine": 2,
                          "startColumn": 2,
                          "startLine": 2
                        }
                      }
                    }
                  ],
                  "message": {
                    "text": "-error(\"a <b> & 'c'\")."
                  },
                  "partialFingerprints": {
                    "erlkitLineHash/v1": "3205e2e64d56df6f:0"
                  },
                  "ruleId": "E1006",
                  "ruleIndex": "<index of E1006>"
                },
                {
                  "level": "error",
                  "locations": [
                    {
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "src/shop.erl",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "endColumn": 4,
                          "endLine": 8,
                          "startColumn": 1,
                          "startLine": 8
                        }
                      }
                    }
                  ],
                  "message": {
                    "text": "variable 'Sum' unsafe in 'case'"
                  },
                  "partialFingerprints": {
                    "erlkitLineHash/v1": "e1622c25233b6392:0"
                  },
                  "relatedLocations": [
                    {
                      "id": 0,
                      "message": {
                        "text": "the 'case' it is bound in"
                      },
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "src/shop.erl",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "endColumn": 4,
                          "endLine": 7,
                          "startColumn": 1,
                          "startLine": 4
                        }
                      }
                    }
                  ],
                  "ruleId": "E1102",
                  "ruleIndex": "<index of E1102>"
                },
                {
                  "fixes": [
                    {
                      "artifactChanges": [
                        {
                          "artifactLocation": {
                            "uri": "src/shop.erl",
                            "uriBaseId": "%SRCROOT%"
                          },
                          "replacements": [
                            {
                              "deletedRegion": {
                                "endColumn": 7,
                                "endLine": 9,
                                "startColumn": 7,
                                "startLine": 9
                              },
                              "insertedContent": {
                                "text": "_"
                              }
                            }
                          ]
                        }
                      ],
                      "description": {
                        "text": "rename Name to _Name"
                      }
                    }
                  ],
                  "level": "warning",
                  "locations": [
                    {
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "src/shop.erl",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "endColumn": 11,
                          "endLine": 9,
                          "startColumn": 7,
                          "startLine": 9
                        }
                      }
                    }
                  ],
                  "message": {
                    "text": "variable 'Name' is unused"
                  },
                  "partialFingerprints": {
                    "erlkitLineHash/v1": "833ab0fee61e3d3b:0"
                  },
                  "ruleId": "W2101",
                  "ruleIndex": "<index of W2101>"
                },
                {
                  "fixes": [
                    {
                      "artifactChanges": [
                        {
                          "artifactLocation": {
                            "uri": "src/shop.erl",
                            "uriBaseId": "%SRCROOT%"
                          },
                          "replacements": [
                            {
                              "deletedRegion": {
                                "endColumn": 33,
                                "endLine": 9,
                                "startColumn": 33,
                                "startLine": 9
                              },
                              "insertedContent": {
                                "text": "_"
                              }
                            }
                          ]
                        }
                      ],
                      "description": {
                        "text": "rename Unused to _Unused"
                      }
                    }
                  ],
                  "level": "warning",
                  "locations": [
                    {
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "src/shop.erl",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "endColumn": 39,
                          "endLine": 9,
                          "startColumn": 33,
                          "startLine": 9
                        }
                      }
                    }
                  ],
                  "message": {
                    "text": "variable 'Unused' is unused"
                  },
                  "partialFingerprints": {
                    "erlkitLineHash/v1": "833ab0fee61e3d3b:1"
                  },
                  "ruleId": "W2101",
                  "ruleIndex": "<index of W2101>"
                }
              ],
              "tool": {
                "driver": {
                  "name": "erlkit",
                  "rules": "<a rule per code>",
                  "version": "<version>"
                }
              }
            }
          ],
          "version": "2.1.0"
        }
    "#]]
    .assert_eq(&(serde_json::to_string_pretty(&shown).unwrap() + "\n"));
}

#[test]
fn junit_output_has_a_failed_test_case_per_finding_and_is_well_formed() {
    let dir = project(PROJECT);
    let run = erlkit(dir.path(), &args(&["lint", "--format", "junit"]));
    assert_eq!(run.code, 1, "{}", run.render());
    let document = roxmltree::Document::parse(&run.stdout).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let failures = root
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .count();
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    let broken = root
        .descendants()
        .find(|node| {
            node.has_tag_name("failure") && node.text().is_some_and(|t| t.contains("-error"))
        })
        .expect("the -error finding");
    assert_eq!(
        broken.attribute("message"),
        Some("-error(\"a <b> & 'c'\").")
    );
    expect![[r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="erlkit lint" tests="4" failures="4" errors="0">
          <testsuite name="src/broken.erl" tests="1" failures="1" errors="0" skipped="0">
            <testcase name="E1006 error-directive at 2:2" classname="src/broken.erl" file="src/broken.erl" line="2">
              <failure type="error" message="-error(&quot;a &lt;b&gt; &amp; &apos;c&apos;&quot;).">src/broken.erl:2:2: error[E1006]: -error("a &lt;b&gt; &amp; 'c'").
        2 | -error("a &lt;b&gt; &amp; 'c'").
          |  ^^^^^
        </failure>
            </testcase>
          </testsuite>
          <testsuite name="src/shop.erl" tests="3" failures="3" errors="0" skipped="0">
            <testcase name="E1102 unsafe-variable at 8:1" classname="src/shop.erl" file="src/shop.erl" line="8">
              <failure type="error" message="variable &apos;Sum&apos; unsafe in &apos;case&apos;">src/shop.erl:8:1: error[E1102]: variable 'Sum' unsafe in 'case'
        8 | Sum.
          | ^^^
          src/shop.erl:4:1: note: the 'case' it is bound in
        </failure>
            </testcase>
            <testcase name="W2101 unused-variable at 9:7" classname="src/shop.erl" file="src/shop.erl" line="9">
              <failure type="warning" message="variable &apos;Name&apos; is unused">src/shop.erl:9:7: warning[W2101]: variable 'Name' is unused
        9 | greet(Name) -&gt; "😀 &lt;héllo&gt; &amp; ", Unused = 1.
          |       ^^^^
        </failure>
            </testcase>
            <testcase name="W2101 unused-variable at 9:32" classname="src/shop.erl" file="src/shop.erl" line="9">
              <failure type="warning" message="variable &apos;Unused&apos; is unused">src/shop.erl:9:32: warning[W2101]: variable 'Unused' is unused
        9 | greet(Name) -&gt; "😀 &lt;héllo&gt; &amp; ", Unused = 1.
          |                                ^^^^^^
        </failure>
            </testcase>
          </testsuite>
        </testsuites>
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn junit_output_of_a_clean_run_is_one_passing_test_case() {
    let dir = project(PROJECT);
    let run = erlkit(
        dir.path(),
        &args(&["lint", "--format", "junit", "src/clean.erl"]),
    );
    assert_eq!(run.code, 0, "{}", run.render());
    roxmltree::Document::parse(&run.stdout).expect("well-formed XML");
    expect![[r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="erlkit lint" tests="1" failures="0" errors="0">
          <testsuite name="erlkit lint" tests="1" failures="0" errors="0" skipped="0">
            <testcase name="1 file linted, no findings" classname="erlkit lint"/>
          </testsuite>
        </testsuites>
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn json_output_gives_fingerprints_related_places_and_fixes() {
    let dir = project(PROJECT);
    let run = erlkit(
        dir.path(),
        &args(&["lint", "--format", "json", "src/shop.erl"]),
    );
    assert_eq!(run.code, 1, "{}", run.render());
    expect![[r#"
        {
          "errors": 1,
          "files": 1,
          "findings": [
            {
              "code": "E1102",
              "column": 1,
              "end_column": 4,
              "end_line": 8,
              "fingerprint": "e1622c25233b6392:0",
              "fix": null,
              "line": 8,
              "message": "variable 'Sum' unsafe in 'case'",
              "name": "unsafe-variable",
              "path": "src/shop.erl",
              "related": [
                {
                  "column": 1,
                  "end_column": 4,
                  "end_line": 7,
                  "line": 4,
                  "message": "the 'case' it is bound in",
                  "path": "src/shop.erl"
                }
              ],
              "severity": "error"
            },
            {
              "code": "W2101",
              "column": 7,
              "end_column": 11,
              "end_line": 9,
              "fingerprint": "833ab0fee61e3d3b:0",
              "fix": {
                "edits": [
                  {
                    "column": 7,
                    "end_column": 7,
                    "end_line": 9,
                    "line": 9,
                    "new_text": "_",
                    "path": "src/shop.erl"
                  }
                ],
                "label": "rename Name to _Name"
              },
              "line": 9,
              "message": "variable 'Name' is unused",
              "name": "unused-variable",
              "path": "src/shop.erl",
              "related": [],
              "severity": "warning"
            },
            {
              "code": "W2101",
              "column": 32,
              "end_column": 38,
              "end_line": 9,
              "fingerprint": "833ab0fee61e3d3b:1",
              "fix": {
                "edits": [
                  {
                    "column": 32,
                    "end_column": 32,
                    "end_line": 9,
                    "line": 9,
                    "new_text": "_",
                    "path": "src/shop.erl"
                  }
                ],
                "label": "rename Unused to _Unused"
              },
              "line": 9,
              "message": "variable 'Unused' is unused",
              "name": "unused-variable",
              "path": "src/shop.erl",
              "related": [],
              "severity": "warning"
            }
          ],
          "warnings": 2
        }
    "#]]
    .assert_eq(&run.stdout);
}

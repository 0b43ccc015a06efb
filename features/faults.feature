@entrapass @fault
Feature: Faults and the driver's recovery
  Transport faults on the SmartService traffic and hardware faults on the
  site, injected through the simulator's fault plan (the flag form of
  `pacsim serve --fault`), and how the driver recovers: no state corrupted,
  no event lost or delivered twice. Source: SPEC.md §4 and §6
  (Resilience), catalogue FT.

  Background:
    Given the default site
    And the driver is connected

  @sim-only @FT-LATENCY
  Scenario: Added latency with jitter slows the answers; the driver stays correct
    When the fault "entrapass:latency=30ms,jitter=20ms,seed=3" is injected
    And the driver polls 3 times
    Then 0 of the last 3 polls failed
    When the operator sends "Pass" with 5 seconds to door "Front Door"
    Then door "Front Door" shows "Unsecure"
    When 5 seconds pass
    Then door "Front Door" shows "Secure"
    And the simulated door "Front Door" is "locked"

  @sim-only @FT-LATENCY
  Scenario: Under latency every access event still arrives once
    When the fault "entrapass:latency=20ms" is injected
    And card "100:1001" is presented at reader "Front Door entry"
    And the driver polls 2 times
    Then 1 Last Access Event was published for door "Front Door"
    And the last access event of door "Front Door" has "Username" = "Alice Martin"

  @FT-HTTP-ERROR
  Scenario Outline: HTTP <status> answers: the driver shows No Communication, retries and recovers
    When the fault "entrapass:status=<status>,first=2" is injected
    And the driver polls
    Then the last poll failed with an error containing "<status>"
    And every asset shows "No Communication"
    When the driver polls 2 times
    Then the last poll succeeded
    And door "Front Door" shows "Secure"
    And the system shows "Normal"

    Examples:
      | status |
      | 500    |
      | 503    |

  @sim-only @FT-HTTP-ERROR
  Scenario: An event raised during HTTP errors is delivered once after recovery
    When the fault "entrapass:status=503,first=3" is injected
    And card "100:1001" is presented at reader "Front Door entry"
    Then the last poll failed with an error containing "503"
    When the driver polls 4 times
    Then the last poll succeeded
    And 1 Last Access Event was published for door "Front Door"
    And door "Front Door" shows "Unsecure"

  @FT-APP-FAULT
  Scenario: The head-end's own fault body is reported, then the driver recovers
    When the fault "entrapass:app-fault,code=INTERNAL_ERROR,message=Database busy,first=1,path=/SmartService/ComponentsStatesByStatusId*" is injected
    And the driver polls
    Then the last poll failed with an error containing "Database busy"
    And the driver log has a line containing "Database busy"
    And door "Front Door" shows "No Communication"
    When the driver polls
    Then the last poll succeeded
    And door "Front Door" shows "Secure"

  @sim-only @FT-MALFORMED
  Scenario Outline: A <mode> body gives a clear error and corrupts no state
    When the operator sends "Unlock" to door "Office Door"
    And the fault "entrapass:malformed=<mode>,first=1,path=/SmartService/ComponentsStatesByStatusId*" is injected
    And the driver polls
    Then the last poll failed with an error containing "<message>"
    And door "Office Door" shows "No Communication"
    When the driver polls
    Then the last poll succeeded
    And door "Office Door" shows "Unsecure"
    And door "Front Door" shows "Secure"
    And the simulated door "Office Door" is "unlocked-operator"

    Examples:
      | mode     | message   |
      | truncate | malformed |
      | garble   | malformed |

  @FT-RESET
  Scenario: A single connection reset: the driver reconnects within the poll
    When the fault "entrapass:reset,first=1" is injected
    And the driver polls
    Then the last poll succeeded
    And door "Front Door" shows "Secure"

  @FT-RESET
  Scenario: Every connection reset: No Communication until the driver can reconnect
    When the fault "entrapass:reset" is injected
    And the driver polls
    Then the last poll failed with an error containing "reset"
    And every asset shows "No Communication"
    When the fault is removed
    Then the last poll succeeded
    And door "Front Door" shows "Secure"
    And the system shows "Normal"

  @sim-only @FT-SESSION-EXPIRY
  Scenario: The session expires: the driver logs the old key out, logs in again, and loses no event
    When card "100:1001" is presented at reader "Front Door entry"
    And 1 minute passes
    And card "100:1001" is presented at reader "Shop Front entry" before the driver polls again
    And 31 minutes pass
    Then the last poll succeeded
    And the server received a "Logout" request
    And 1 Last Access Event was published for door "Front Door"
    And 1 Last Access Event was published for door "Shop Front"
    And the last access event of door "Shop Front" has "DateTime" = "2026-01-05 09:01:00"
    When card "100:1001" is presented at reader "Office Door entry"
    Then 1 Last Access Event was published for door "Office Door"
    And 1 Last Access Event was published for door "Shop Front"

  @sim-only @FT-SESSION-EXPIRY
  Scenario: Every session expired by the server: the driver logs in again with no lost or repeated event
    When card "100:1001" is presented at reader "Front Door entry" before the driver polls again
    And the fault "entrapass:expire-sessions,first=1" is injected
    And the driver polls 2 times
    Then the last poll succeeded
    And the server received a "Logout" request
    And 1 Last Access Event was published for door "Front Door"
    When card "100:1001" is presented at reader "Office Door entry"
    Then 1 Last Access Event was published for door "Office Door"
    And 1 Last Access Event was published for door "Front Door"
    And door "Office Door" shows "Unsecure"

  @sim-only @FT-SERVER-DOWN
  Scenario: The server down and back: No Communication at once, then a full resync, no event lost or repeated
    When card "100:1001" is presented at reader "Front Door entry"
    And the server goes down
    Then every asset shows "No Communication"
    When card "100:1001" is presented at reader "Shop Front entry"
    And door "Back Door" is opened
    And the driver polls 2 times
    Then 2 of the last 2 polls failed
    When the server comes back
    Then the last poll succeeded
    And door "Back Door" shows "Forced Open"
    And door "Shop Front" shows "Unsecure"
    And 1 Last Access Event was published for door "Front Door"
    And 1 Last Access Event was published for door "Shop Front"
    When the driver polls 2 times
    Then 1 Last Access Event was published for door "Shop Front"

  @sim-only @FT-CONTROLLER-FAIL
  Scenario: A controller's communication failure: its assets show it; its events arrive on restore
    When controller "Office Controller" is cut off
    Then door "Front Door" shows "No Communication"
    And reader "Front Door entry" shows "No Communication"
    And input "Office Motion" shows "No Communication"
    And output "Office Siren" shows "Controller Fault"
    And the system shows "Fault"
    When 10 seconds pass
    And card "100:1001" is presented at reader "Front Door entry"
    Then the reader grants access
    And 0 Last Access Events were published for door "Front Door"
    When 30 seconds pass
    And controller "Office Controller" is restored
    Then 1 Last Access Event was published for door "Front Door"
    And the last access event of door "Front Door" has:
      | Access Granted | True                |
      | Username       | Alice Martin        |
      | DateTime       | 2026-01-05 09:00:10 |
    And the system shows "Normal"

  @sim-only @FT-CONTROLLER-FAIL
  Scenario: A controller failure injected as a site fault, healed when removed
    When the fault "site:controller-fail,id=11" is injected
    Then door "Shop Front" shows "No Communication"
    And door "Front Door" shows "Secure"
    When the fault is removed
    Then door "Shop Front" shows "Secure"

  @sim-only @FT-GATEWAY-DOWN
  Scenario: Events raised behind a disconnected gateway arrive when it reconnects
    When gateway "Main Gateway" is disconnected
    And card "100:1001" is presented at reader "Front Door entry"
    Then 0 Last Access Events were published for door "Front Door"
    When 20 seconds pass
    And gateway "Main Gateway" is connected
    Then 1 Last Access Event was published for door "Front Door"
    And the last access event of door "Front Door" has "DateTime" = "2026-01-05 09:00:00"
    And 2 Gateway Connection Changed events were published

  @sim-only @FT-SEEDED
  Scenario: Every third request fails: exactly one in three
    When the fault "entrapass:status=503,every=3" is injected
    And 30 requests are sent to the server
    Then 10 of them were answered with HTTP 503
    And 20 of them were answered with HTTP 200
    And a fresh site with the same faults answers the same requests the same way

  @sim-only @FT-SEEDED
  Scenario: A seeded probability: the ratio holds, and the same seed gives the same faults
    When the fault "entrapass:status=503,probability=0.25,seed=7" is injected
    And 400 requests are sent to the server
    Then between 70 and 130 of them were answered with HTTP 503
    And a fresh site with the same faults answers the same requests the same way

  @sim-only @FT-SEEDED
  Scenario: The first N requests only
    When the fault "entrapass:status=500,first=5" is injected
    And 12 requests are sent to the server
    Then 5 of them were answered with HTTP 500
    And 7 of them were answered with HTTP 200

  @sim-only @FT-WINDOW
  Scenario: A hardware fault with a time window starts and heals by itself
    When the fault "site:controller-fail,id=10,start_after=10s,for=30s" is injected
    Then door "Front Door" shows "Secure"
    When 9 seconds pass
    Then door "Front Door" shows "Secure"
    When 1 second passes
    Then door "Front Door" shows "No Communication"
    And the system shows "Fault"
    When 30 seconds pass
    Then door "Front Door" shows "Secure"
    And the system shows "Normal"

  @sim-only @FT-WINDOW
  Scenario: A transport fault with a time window starts and heals by itself
    When the fault "entrapass:status=503,start_after=5s,for=10s" is injected
    And the driver polls
    Then the last poll succeeded
    When 5 seconds pass
    Then the last poll failed with an error containing "503"
    And every asset shows "No Communication"
    When 10 seconds pass
    Then the last poll succeeded
    And door "Front Door" shows "Secure"

  @FT-MALFORMED
  Scenario: An empty answer is a clear error and corrupts no state
    When the operator sends "Unlock" to door "Office Door"
    And the fault "entrapass:empty,first=1,path=/SmartService/ComponentsStatesByStatusId*" is injected
    And the driver polls
    Then the last poll failed with an error containing "malformed"
    And door "Office Door" shows "No Communication"
    When the driver polls
    Then the last poll succeeded
    And door "Office Door" shows "Unsecure"

  @FT-LATENCY
  Scenario: A slow (dribbled) body: the driver reads it whole and stays correct
    When the operator sends "Activate Output" to output "Office Siren"
    And the fault "entrapass:slow-body=512,interval=5ms,first=2,path=/SmartService/ComponentsStatesByStatusId*" is injected
    And the driver polls 2 times
    Then 0 of the last 2 polls failed
    And output "Office Siren" has the property "Active" = "True"
    And door "Front Door" shows "Secure"

  @sim-only
  Scenario Outline: The hardware fault "<kind>" on <kind of asset> "<name>": <status>, healed when removed
    When the fault "site:<kind>,id=<id>" is injected
    And <wait> seconds pass
    Then <type> "<name>" shows "<status>"
    When the fault is removed
    Then <type> "<name>" shows "<after>"

    @FT-CONTROLLER-FAIL @EP-DOOR-S-NOCOMM @EP-SYS-S-FAULT
    Examples: Controllers
      | kind             | kind of asset | type   | name         | id | wait | status           | after   |
      | controller-fail  | door          | door   | Front Door   | 10 | 0    | No Communication | Secure  |
      | controller-fault | output        | output | Shop Siren   | 11 | 0    | Controller Fault | Present |

    @EP-DOOR-S-FAULT @EP-RDR-S-FAULT @EP-IN-S-FAULT @EP-SYS-S-FAULT
    Examples: A controller in hardware fault still answers: Fault, never No Communication
      | kind             | kind of asset | type   | name               | id | wait | status | after    |
      | controller-fault | door          | door   | Shop Front         | 11 | 0    | Fault  | Secure   |
      | controller-fault | reader        | reader | Shop Front entry   | 11 | 0    | Fault  | Enabled  |
      | controller-fault | input         | input  | Office Motion      | 10 | 0    | Fault  | Inactive |

    @EP-RDR-S-FAULT @EP-IN-S-TAMPER @EP-IN-S-FAULT @EP-OUT-S-CONTROLLER-FAULT @EP-DOOR-S-FORCED-OPEN @EP-DOOR-S-HELD-OPEN
    Examples: Components
      | kind                    | kind of asset | type   | name              | id | wait | status           | after    |
      | reader-fault            | reader        | reader | Office Door entry | 32 | 0    | Fault            | Enabled  |
      | input-tamper            | input         | input  | Office Window     | 54 | 0    | Tamper           | Inactive |
      | input-trouble           | input         | input  | Server Room Smoke | 55 | 0    | Fault            | Inactive |
      | output-controller-fault | output        | output | Office Siren      | 71 | 0    | Controller Fault | Present  |
      | door-forced             | door          | door   | Office Door       | 21 | 0    | Forced Open      | Secure   |
      | door-held-open          | door          | door   | Office Door       | 21 | 30   | Held Open        | Secure   |


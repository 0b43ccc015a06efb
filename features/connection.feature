@entrapass
Feature: Connection, configuration, compatibility and licence
  Communication Settings (IP address or host name, port 8080 by default,
  username, password), EntraPass Global and Corporate 7.50 and higher with
  E-GLOB-CONNECT (integration 56) or E-COR-CONNECT, the dataserver port
  9628, the debug port 9629, logs for troubleshooting, and Gateway
  Connection Changed. Source: entrapass-integration.txt, "Setup",
  "Compatibility", "Prerequisites", "Ports", "Communication Configuration",
  "System Events", "Troubleshooting".

  @EP-CONF-FIELDS
  Scenario Outline: The server is given by <what>
    Given the default site
    When the driver is configured with "Host" set to "<host>"
    Then the configuration is accepted
    And the last poll succeeded
    And door "Front Door" shows "Secure"

    Examples:
      | what          | host      |
      | an IP address | 127.0.0.1 |
      | a host name   | localhost |

  @EP-CONF-FIELDS
  Scenario: Username and password log the driver in
    Given the default site
    When the driver is configured with username "pacsim" and password "pacsim"
    Then the last poll succeeded
    And the system shows "Normal"

  @EP-CONF-DEFAULT-PORT
  Scenario: The port defaults to 8080 and can be changed
    Then a configuration without a port uses port 8080
    Given the default site
    When the driver is connected
    Then the last poll succeeded

  @EP-CONF-INVALID
  Scenario Outline: <field> "<value>" is refused before connecting, naming the field
    Given the default site
    When the driver is configured with "<field>" set to "<value>"
    Then the configuration is refused naming the field "<field>"

    Examples:
      | field          | value               |
      | Host           |                     |
      | Host           | http://example.com  |
      | Host           | server:8801         |
      | Port           | 70000               |
      | Port           | -1                  |
      | Port           | 0                   |
      | Port           | 65536               |
      | Port           | http                |
      | Poll           | 0                   |
      | Poll           | soon                |
      | RequestTimeout | 0                   |
      | IntegrationID  | 0                   |
      | IntegrationID  | fifty-six           |
      | Username       |                     |
      | Password       |                     |
      | Poll           | 50ms                |
      | Poll           | 2h                  |
      | RequestTimeout | 10m                 |
      | Host           | bad host            |
      | IntegrationID  | -1                  |
      | Host           | 300.1.1.1           |
      | Host           | 192.168.1.256       |

  @EP-CONF-BAD-LOGIN @EP-SYS-S-NOCOMM
  Scenario Outline: A wrong <what> gives a clear error and No Communication
    Given the default site
    When the driver is configured with username "<user>" and password "<password>"
    Then the last poll failed with an error containing "<message>"
    And the system shows "No Communication"
    And the driver log has a line containing "<message>"
    And the driver log does not show "<password>"

    Examples:
      | what     | user    | password        | message |
      | password | pacsim  | wrong-password  | login   |
      | username | nobody  | secret-password | login   |

  @UM-OPERATOR-HYGIENE
  Scenario Outline: An operator account <what> cannot log in, with a clear error
    Given the default site
    When the driver is configured with username "<user>" and password "<user>"
    Then the last poll failed with an error containing "<message>"
    And the system shows "No Communication"

    Examples:
      | what                   | user     | message  |
      | that is disabled       | disabled | disabled |
      | whose password expired | expired  | expired  |

  @EP-COMPAT-VERSION
  Scenario Outline: EntraPass <version> is <outcome>
    Given the default site with EntraPass version "<version>"
    When the driver is configured with username "pacsim" and password "pacsim"
    Then the last poll <result>

    Examples:
      | version     | outcome  | result                                   |
      | 7.50.0.1    | accepted | succeeded                                |
      | 8.10.0.1234 | accepted | succeeded                                |
      | 7.40.0.100  | refused  | failed with an error containing "7.50"   |
      | 6.02.0.1    | refused  | failed with an error containing "7.50"   |

  @EP-COMPAT-VERSION @EP-LIC-CONNECT
  Scenario: EntraPass Corporate with E-COR-CONNECT is accepted with its integration id
    Given the default site as an EntraPass Corporate edition licensed E-COR-CONNECT for integration 77
    When the driver is configured with "IntegrationID" set to "77"
    Then the last poll succeeded
    And door "Front Door" shows "Secure"

  @EP-LIC-CONNECT
  Scenario Outline: An EntraPass <edition> edition without a connect licence is refused with a clear error
    Given the default site as an EntraPass "<edition>" edition without a connect licence
    When the driver is configured with username "pacsim" and password "pacsim"
    Then the last poll failed with an error containing "licen"
    And the system shows "No Communication"

    Examples:
      | edition   |
      | Special   |
      | Global    |
      | Corporate |

  @EP-LIC-CONNECT
  Scenario: The Corporate licence does not accept the Global integration id
    Given the default site as an EntraPass Corporate edition licensed E-COR-CONNECT for integration 77
    When the driver is configured with username "pacsim" and password "pacsim"
    Then the last poll failed with an error containing "licen"

  @EP-PORT-DATASERVER
  Scenario: The dataserver port defaults to 9628 and can be changed
    Then the dataserver port defaults to 9628
    Given the default site
    And the driver is connected
    When the dataserver is served on another port
    Then GET "/assets/door/20" on the dataserver shows "Secure"

  @fault @EP-PORT-DEBUG @EP-LOG-TROUBLESHOOT
  Scenario: Driver logs are served to Debug Tools on port 9629
    Then the Debug Tools port is 9629
    Given the default site
    And the driver is connected
    And a Debug Tools client reads the log stream
    When the server goes down
    Then the Debug Tools client reads a line containing "communication lost"

  @EP-LOG-TROUBLESHOOT
  Scenario: An initialisation problem is logged with enough context to diagnose it
    Given the default site with EntraPass version "7.40.0.100"
    When the driver is configured with username "pacsim" and password "pacsim"
    Then the driver log has a line containing "7.40"
    And the driver log has a line containing "version"
    And the driver log does not show "password=pacsim"

  @fault @sim-only @EP-LOG-TROUBLESHOOT
  Scenario: A runtime problem is logged with enough context to diagnose it
    Given the default site
    And the driver is connected
    When the server goes down
    Then the driver log has a line containing "communication lost"
    And the driver log has a line containing "No Communication"
    When the server comes back
    Then the driver log has a line containing "communication restored"

  @sim-only @EP-GW-E-OFFLINE @EP-GW-E-ONLINE @FT-GATEWAY-DOWN @fault
  Scenario: Gateway Connection Changed when the gateway goes offline, and when it comes back
    Given the default site
    And the driver is connected
    When gateway "Main Gateway" is disconnected
    Then a Gateway Connection Changed event says gateway "Main Gateway" is offline
    And 1 Gateway Connection Changed event was published
    And door "Front Door" shows "No Communication"
    When gateway "Main Gateway" is connected
    Then a Gateway Connection Changed event says gateway "Main Gateway" is online
    And 2 Gateway Connection Changed events were published
    And door "Front Door" shows "Secure"

  @sim-only @EP-GW-E-OFFLINE @EP-GW-E-ONLINE @FT-GATEWAY-DOWN @fault
  Scenario: The gateway's outage as a hardware fault of the site heals by itself
    Given the default site
    And the driver is connected
    When the fault "site:gateway-disconnect,id=1,for=30s" is injected
    Then a Gateway Connection Changed event says gateway "Main Gateway" is offline
    And the system shows "Fault"
    When 30 seconds pass
    Then a Gateway Connection Changed event says gateway "Main Gateway" is online
    And the system shows "Normal"

  @EP-SYS-S-NOCOMM
  Scenario: A configuration that points nowhere shows No Communication
    Given the default site
    When the driver is configured with "Port" set to "1"
    Then the configuration is accepted
    And the last poll failed with an error containing "refused"
    And the system shows "No Communication"

  @EP-SYS-S-NOCOMM @EP-CONF-INVALID
  Scenario: An invalid configuration shows No Communication on the System asset
    Given the default site
    When the driver is configured with "Port" set to "70000"
    Then the configuration is refused naming the field "Port"
    And the system shows "No Communication"

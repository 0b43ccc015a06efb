@genetec @fault
Feature: Genetec event stream faults
  The visitor-badge connector follows each provider's Web SDK event stream
  and records every access of its visitors' badges. When the stream is cut
  it opens it again, subscribes again, and reads what the gap held from
  Security Center's activity report: no access lost, none doubled.
  Source: SPEC.md §4 (stream-cut) and §7, catalogue FT-STREAM-CUT.

  @sim-only @FT-STREAM-CUT
  Scenario: The Genetec event stream is cut: the connector reconnects and resubscribes
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When card "200:5001" is presented at reader "Front Door entry"
    Then the visit of "Grace Hopper" has an access at door "Front Door" granted
    When the Genetec event stream is cut
    And 1 second passes
    And card "200:5001" is presented at reader "Office Door entry"
    Then the visit of "Grace Hopper" has an access at door "Office Door" granted
    And the accesses of the visit of "Grace Hopper" are "Front Door granted, Office Door granted"

  @sim-only @FT-STREAM-CUT
  Scenario: An access made while the stream is cut is read after the reconnection, once
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When card "200:5001" is presented at reader "Front Door entry"
    Then the visit of "Grace Hopper" has an access at door "Front Door" granted
    When 1 second passes
    And the Genetec event stream is cut while card "200:5001" is presented at reader "Shop Front entry"
    And 1 second passes
    And card "200:5001" is presented at reader "Office Door entry"
    Then the accesses of the visit of "Grace Hopper" are "Front Door granted, Shop Front refused, Office Door granted"
    And the visit of "Grace Hopper" has an access at door "Shop Front" refused with reason "NoAccessRule"

  @sim-only @FT-STREAM-CUT
  Scenario: A stream-cut fault cuts the stream after its first event: the connector opens another and subscribes again
    Given the default site
    And the fault "genetec:stream-cut,events=2,path=/WebSdk/events,first=1" is injected
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"
    And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    When card "200:5001" is presented at reader "Front Door entry"
    Then the connector opens the Genetec event stream again and subscribes
    When 1 second passes
    And card "200:5001" is presented at reader "Office Door entry"
    Then the accesses of the visit of "Grace Hopper" are "Front Door granted, Office Door granted"

package fault

import "github.com/pacsim/pacsim/sim"

func init() {
	hardware(KindGatewayDisconnect, sim.KindGateway, (*sim.World).DisconnectGateway, (*sim.World).ConnectGateway)
}

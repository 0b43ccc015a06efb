package main

import "github.com/pacsim/pacsim/sim"

// siteCount is how many components of each kind a site has.
type siteCount struct {
	gateways, sites, controllers, doors, readers, inputs, outputs int
}

// countSite counts the components of sf.
func countSite(sf *sim.SiteFile) siteCount {
	var n siteCount
	for _, g := range sf.Gateways {
		n.gateways++
		for _, s := range g.Sites {
			n.sites++
			for _, c := range s.Controllers {
				n.controllers++
				n.inputs += len(c.Inputs)
				n.outputs += len(c.Outputs)
				for _, d := range c.Doors {
					n.doors++
					n.readers += len(d.Readers)
				}
			}
		}
	}
	return n
}

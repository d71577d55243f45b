/** Static traffic assignment: compact networks, TNTP and GeoJSON readers, user equilibrium. */
export {
  buildDemand,
  buildNetwork,
  type Demand,
  findLink,
  type LinkTable,
  type Network,
  NetworkFormatError,
  nodeIndex,
} from './network.ts';
export {
  parseTntpFlow,
  parseTntpNet,
  parseTntpNodes,
  parseTntpTrips,
  type TntpFlow,
  type TntpNet,
  type TntpNetOptions,
} from './tntp.ts';

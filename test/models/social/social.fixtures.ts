import { type District, districtsFromGeoJson } from '../../../src/models/social/index.ts';

/** A square of `size` degrees with its south-west corner at (lon, lat). */
export function square(lon: number, lat: number, size: number): number[][][] {
  return [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat],
    ],
  ];
}

/**
 * Three districts side by side along the equator-near latitude 51.3° (Leipzig), 0.01° wide each:
 * A old and car-owning, B young and car-free, C in between, with hand-picked statistics.
 */
export function threeDistricts(): District[] {
  const stats = [
    { id: 'A', pop: 1000, altenquote: 40, jugendquote: 10, cars: 500 },
    { id: 'B', pop: 3000, altenquote: 20, jugendquote: 30, cars: 100 },
    { id: 'C', pop: 2000, altenquote: 30, jugendquote: 20, cars: 300 },
  ];
  return districtsFromGeoJson({
    type: 'FeatureCollection',
    features: stats.map((s, i) => ({
      type: 'Feature',
      properties: {
        id: s.id,
        name: `District ${s.id}`,
        population: s.pop,
        altenquote_2023: s.altenquote,
        jugendquote_2023: s.jugendquote,
        private_cars_per_1000_2023: s.cars,
      },
      geometry: { type: 'Polygon', coordinates: square(12.3 + 0.01 * i, 51.3, 0.01) },
    })),
  });
}

/** A range input over the instants of a history (years of a statistic, hours of counts). */
export function TimeSlider({
  times,
  index,
  label,
  format,
  onChange,
  testId,
}: {
  times: number[];
  index: number;
  label: string;
  format: (t: number) => string;
  onChange: (i: number) => void;
  testId: string;
}) {
  if (times.length < 2) return null;
  const id = `slider-${testId}`;
  return (
    <div className="time-slider">
      <label htmlFor={id}>
        {label}: <strong>{format(times[index])}</strong>
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={times.length - 1}
        step={1}
        value={index}
        aria-valuetext={format(times[index])}
        onChange={(e) => onChange(Number(e.target.value))}
        data-testid={testId}
      />
    </div>
  );
}

"""Office configuration as data: office, units, channels, service types, agencies, holidays."""

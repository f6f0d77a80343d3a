"""Planning computations: pure functions over GeoDataFrames. No I/O, no streamlit, no folium."""

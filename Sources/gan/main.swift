print("gan")
